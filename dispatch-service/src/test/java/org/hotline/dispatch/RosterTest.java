package org.hotline.dispatch;

import org.hotline.backbone.testing.MovableClock;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hotline.backbone.testing.EventProbe;
import org.hotline.backbone.testing.InfraResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;

/**
 * Recommendations follow the members' duty rosters (DutyRoster): a unit is a candidate only while
 * one of its shifts covers now (hotline.time-zone local time); a unit without any shift has nobody
 * on duty and is never recommended nor auto-dispatched, and every order names the members to tell.
 * The clock is moved to a past week (never forward: other tests' open offers must not fall due).
 */
@QuarkusTest
@WithTestResource(InfraResource.class)
class RosterTest {

    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    MovableClock clock;

    EventProbe probe() {
        return StreetFixture.probe(bootstrap);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    /** Moves the application's clock to that weekday of a past week, at that local time in Shanghai. */
    void at(DayOfWeek day, String time) {
        LocalDate date = LocalDate.now(SHANGHAI).minusWeeks(2).with(TemporalAdjusters.previousOrSame(day));
        clock.set(date.atTime(LocalTime.parse(time)).atZone(SHANGHAI).toInstant());
    }

    static void shifts(String unit, List<Map<String, Object>> shifts) {
        StreetFixture.admin().contentType(ContentType.JSON).body(shifts).put("/api/units/" + unit + "/shifts").then().statusCode(200);
    }

    static Map<String, Object> shift(String unit, List<String> days, String start, String end) {
        return Map.of("memberId", unit + "-m1", "days", days, "start", start, "end", end);
    }

    static final List<String> EVERY_DAY = List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN");

    static void noShifts(String unit) {
        shifts(unit, List.of());
    }

    static List<String> recommended(String ticket) {
        return StreetFixture.reader().get("/api/dispatch/tickets/" + ticket + "/recommendations").then().statusCode(200).extract()
                .path("unitId");
    }

    @Test
    void aUnitWhoseOnlyMembersShiftEndedIsNotRecommendedAndMovingTheClockChangesTheAnswer() {
        String street = StreetFixture.street();
        // the nearest unit (it would rank first) works mornings only; the other has no roster at all
        String morning = StreetFixture.unit(street, "morning", "GRID_WORKER", List.of("CONSUMER_DISPUTE"), 3, StreetFixture.LAT, StreetFixture.LON);
        String noRoster = StreetFixture.unit(street, "legacy", "MEDIATION", List.of("CONSUMER_DISPUTE"), 3, 30.56, 119.98);
        String allDay = StreetFixture.unit(street, "allday", "MEDIATION", List.of("CONSUMER_DISPUTE"), 3, 30.60, 120.05);
        shifts(morning, List.of(shift(morning, EVERY_DAY, "08:00", "12:00")));
        noShifts(noRoster);
        // CONSUMER_DISPUTE is never auto-dispatched in the test profile: the ticket stays NEW
        String ticket = StreetFixture.ticket(probe(), street, "CONSUMER_DISPUTE");

        at(DayOfWeek.WEDNESDAY, "10:00");
        assertEquals(List.of(morning, allDay), recommended(ticket));
        StreetFixture.reader().get("/api/dispatch/tickets/" + ticket + "/recommendations").then()
                .body("[0].reasons[2]", equalTo("on duty (shift 08:00–12:00)"))
                .body("[1].reasons[2]", equalTo("on duty (shift 00:00–00:00)"));

        at(DayOfWeek.WEDNESDAY, "12:00"); // the end is exclusive
        assertEquals(List.of(allDay), recommended(ticket));
        at(DayOfWeek.WEDNESDAY, "07:59");
        assertEquals(List.of(allDay), recommended(ticket));
        at(DayOfWeek.WEDNESDAY, "08:00");
        assertEquals(List.of(morning, allDay), recommended(ticket));

        // a dispatcher still can call the off-roster unit in by hand (only OFF_DUTY status refuses):
        // the order then names all its members, and says it called the unit in
        at(DayOfWeek.WEDNESDAY, "13:00");
        StreetFixture.console(street, "tickets/" + ticket + "/dispatch", Map.of("units",
                List.of(Map.of("unitId", morning, "role", "LEAD")))).statusCode(200);
        StreetFixture.ticketView(ticket).body("assignments[0].unitId", equalTo(morning))
                .body("assignments[0].recommended", equalTo(false));
        JsonNode created = StreetFixture.event(probe(), ticket, "assignment.created", 0);
        assertEquals(List.of(morning + "-m1"), ids(created.path("notifyMemberIds")));
        assertEquals(true, created.path("calledIn").asBoolean());
    }

    /**
     * The defect of issue #16: a unit without any shift was "on duty by its status", so it was
     * auto-dispatched, while notification-service (no shift, nobody on duty) told nobody of the
     * order. Now the unit is not a candidate, and the order names exactly the members on duty.
     */
    @Test
    void aUnitWithNobodyOnDutyIsNeitherRecommendedNorAutoDispatchedAndTheOrderNamesTheMembersOnDuty() {
        String street = StreetFixture.street();
        // the nearest unit, covering the grid, has members but no roster: nobody would hear of an order
        String nobody = StreetFixture.unit(street, "nobody", "GRID_WORKER", List.of("NOISE"), 3, StreetFixture.LAT, StreetFixture.LON);
        noShifts(nobody);
        String team = StreetFixture.unit(street, "team", "MEDIATION", List.of("NOISE"), 3, 30.56, 119.98);
        StreetFixture.admin().contentType(ContentType.JSON).body(List.of(
                Map.of("memberId", team + "-m1", "name", "张三", "phone", "13900000001"),
                Map.of("memberId", team + "-m2", "name", "李四", "phone", "13900000002"),
                Map.of("memberId", team + "-m3", "name", "王五", "phone", "13900000003")))
                .put("/api/units/" + team + "/members").then().statusCode(200);
        // m1 round the clock, m2 on Wednesday days, m3 never: on Wednesday evening only m1 is on duty
        shifts(team, List.of(shift(team, EVERY_DAY, "00:00", "00:00"),
                Map.of("memberId", team + "-m2", "days", List.of("WED"), "start", "09:00", "end", "17:00")));
        at(DayOfWeek.WEDNESDAY, "20:00");

        String ticket = StreetFixture.ticket(probe(), street, "NOISE");
        JsonNode created = StreetFixture.event(probe(), ticket, "assignment.created", 0);
        assertEquals(team, created.path("unitId").asText());
        assertEquals(true, created.path("automatic").asBoolean());
        assertEquals(List.of(team + "-m1"), ids(created.path("notifyMemberIds")));
        assertEquals(true, created.path("calledIn").isMissingNode(), "auto-dispatch never calls a unit in");
        assertEquals(List.of(team), recommended(ticket));

        // during Wednesday's day shift both are told
        at(DayOfWeek.WEDNESDAY, "10:00");
        String second = StreetFixture.ticket(probe(), street, "NOISE");
        JsonNode both = StreetFixture.event(probe(), second, "assignment.created", 0);
        assertEquals(team, both.path("unitId").asText());
        assertEquals(List.of(team + "-m1", team + "-m2"), ids(both.path("notifyMemberIds")));
    }

    static List<String> ids(JsonNode array) {
        List<String> out = new java.util.ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void anOvernightShiftCoversTheSmallHoursOfTheNextDay() {
        String street = StreetFixture.street();
        String night = StreetFixture.unit(street, "night", "POLICE_STATION", List.of("CONSUMER_DISPUTE"), 3, StreetFixture.LAT, StreetFixture.LON);
        // a second member on weekday days: the unit is on duty when either member is
        StreetFixture.admin().contentType(ContentType.JSON).body(List.of(
                Map.of("memberId", night + "-m1", "name", "张三", "phone", "13900000001"),
                Map.of("memberId", night + "-m2", "name", "李四", "phone", "13900000002")))
                .put("/api/units/" + night + "/members").then().statusCode(200);
        shifts(night, List.of(shift(night, List.of("MON"), "22:00", "06:00"),
                Map.of("memberId", night + "-m2", "days", List.of("WED"), "start", "09:00", "end", "17:00")));
        String ticket = StreetFixture.ticket(probe(), street, "CONSUMER_DISPUTE");

        at(DayOfWeek.TUESDAY, "02:00"); // Monday's night shift, after midnight
        assertEquals(List.of(night), recommended(ticket));
        StreetFixture.reader().get("/api/dispatch/tickets/" + ticket + "/recommendations").then()
                .body("[0].reasons[2]", equalTo("on duty (shift 22:00–06:00)"));
        at(DayOfWeek.MONDAY, "23:30"); // the same shift before midnight
        assertEquals(List.of(night), recommended(ticket));
        at(DayOfWeek.MONDAY, "02:00"); // would be Sunday's night shift: there is none
        assertEquals(List.of(), recommended(ticket));
        at(DayOfWeek.TUESDAY, "06:00");
        assertEquals(List.of(), recommended(ticket));
        at(DayOfWeek.WEDNESDAY, "12:00"); // the other member's day shift
        assertEquals(List.of(night), recommended(ticket));
        StreetFixture.reader().get("/api/dispatch/tickets/" + ticket + "/recommendations").then()
                .body("[0].reasons[2]", equalTo("on duty (shift 09:00–17:00)"));
    }

    @Test
    void autoDispatchAndTheAckTimeoutPassOnSkipUnitsOffTheirRoster() {
        String street = StreetFixture.street();
        // nearest first: onDuty, none (no roster: nobody on duty), offRoster (shift over), far (on duty)
        String none = StreetFixture.unit(street, "0", "OTHER", List.of("NOISE", "WAGE_ARREARS"), 3, 30.5453, 119.9677);
        noShifts(none);
        String onDuty = StreetFixture.unit(street, "a", "OTHER", List.of("NOISE", "WAGE_ARREARS"), 3, StreetFixture.LAT, StreetFixture.LON);
        String offRoster = StreetFixture.unit(street, "b", "MEDIATION", List.of("NOISE", "WAGE_ARREARS"), 3, 30.55, 119.97);
        String far = StreetFixture.unit(street, "c", "MEDIATION", List.of("WAGE_ARREARS"), 3, 30.60, 120.05);
        shifts(onDuty, List.of(shift(onDuty, EVERY_DAY, "20:00", "08:00")));
        shifts(offRoster, List.of(shift(offRoster, EVERY_DAY, "08:00", "20:00")));
        shifts(far, List.of(shift(far, EVERY_DAY, "00:00", "00:00")));
        at(DayOfWeek.FRIDAY, "21:00");

        // WAGE_ARREARS lapses after 2 s in the test profile: it will pass over the off-roster unit
        String wage = StreetFixture.ticket(probe(), street, "WAGE_ARREARS");
        StreetFixture.ticketView(wage).body("assignments[0].unitId", equalTo(onDuty));
        // the unit on duty gets the noise ticket, and the next one too although the off-roster unit
        // has less load now: the off-roster unit (and the one without a roster) is never picked automatically
        String noise = StreetFixture.ticket(probe(), street, "NOISE");
        StreetFixture.ticketView(noise).body("assignments[0].unitId", equalTo(onDuty))
                .body("assignments[0].automatic", equalTo(true));
        String noise2 = StreetFixture.ticket(probe(), street, "NOISE");
        StreetFixture.ticketView(noise2).body("assignments[0].unitId", equalTo(onDuty));

        JsonNode lapsed = StreetFixture.event(probe(), wage, "assignment.ack-lapsed", 0);
        assertEquals(onDuty, lapsed.path("unitId").asText());
        assertEquals(far, lapsed.path("nextUnitId").asText());
        JsonNode next = StreetFixture.event(probe(), wage, "assignment.created", 1);
        assertEquals("ACK_LAPSE", next.path("reason").asText());
        assertEquals(far, next.path("unitId").asText());
    }
}

package org.hotline.dispatch;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Map;

import org.hotline.backbone.testing.InfraResource;
import org.hotline.backbone.testing.MovableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * The time zone is one setting, hotline.time-zone (backbone): with it set to London, shifts are
 * London local times (a Monday-morning shift covers 10:00 in London, which is 18:00 in Shanghai)
 * and the screens are told to show times in London's zone. Nothing reads Asia/Shanghai itself.
 */
@QuarkusTest
@TestProfile(ConfiguredZoneTest.London.class)
@WithTestResource(InfraResource.class)
class ConfiguredZoneTest {

    public static class London implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("hotline.time-zone", "Europe/London");
        }
    }

    static final ZoneId LONDON = ZoneId.of("Europe/London");

    @Inject
    MovableClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    void at(DayOfWeek day, String time) {
        LocalDate date = LocalDate.now(LONDON).minusWeeks(2).with(TemporalAdjusters.previousOrSame(day));
        clock.set(date.atTime(LocalTime.parse(time)).atZone(LONDON).toInstant());
    }

    @Test
    void shiftsAreReadInTheConfiguredZone() {
        String street = StreetFixture.street();
        String morning = StreetFixture.unit(street, "morning", "GRID_WORKER", List.of("CONSUMER_DISPUTE"), 3, StreetFixture.LAT, StreetFixture.LON);
        RosterTest.shifts(morning, List.of(RosterTest.shift(morning, List.of("MON"), "08:00", "12:00")));
        String ticket = StreetFixture.ticket(StreetFixture.probe(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("kafka.bootstrap.servers", String.class)), street, "CONSUMER_DISPUTE");

        at(DayOfWeek.MONDAY, "10:00"); // Monday 17:00 or 18:00 in Shanghai: off shift there
        assertEquals(List.of(morning), RosterTest.recommended(ticket));
        at(DayOfWeek.MONDAY, "03:00"); // Monday 10:00 or 11:00 in Shanghai: on shift there, not here
        assertEquals(List.of(), RosterTest.recommended(ticket));

        io.restassured.RestAssured.given().get("/api/ui/config").then().statusCode(200)
                .body("zone", equalTo("Europe/London"));
    }
}

package org.hotline.dispatch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.hotline.backbone.security.Roles;
import org.hotline.backbone.testing.EventProbe;
import org.hotline.backbone.testing.EventSchemas;
import org.hotline.backbone.testing.TestTokens;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/**
 * Test fixtures: each test builds its own street with its own units (through the units API), so
 * tests never compete for the demo units' capacity. Every call carries a token (issue #7): units
 * are set up by an admin, the command room is the street's dispatcher {@value #DISPATCHER}, a
 * field call is member {@code <unit>-m1} of his unit, and fixture reads are the county's supervisor.
 */
final class StreetFixture {

    /** The dispatcher the command-room calls act as, in whichever street the test uses. */
    static final String DISPATCHER = "wk-zhang";
    static final String ADMIN = TestTokens.admin("test-admin");
    /** Reads across every street, for fixtures (a supervisor of the county). */
    static final String READER = TestTokens.supervisor("test-county", Roles.COUNTY);

    static final Duration WAIT = Duration.ofSeconds(20);
    /** The ticket.received example's location (30.5453, 119.9676). */
    static final double LAT = 30.5453;
    static final double LON = 119.9676;

    private StreetFixture() {
    }

    static EventProbe probe(String bootstrap) {
        return EventProbe.shared(bootstrap, "dispatch-events", "unit-events");
    }

    /** A request as the county's supervisor: the fixture reads of any street. */
    static RequestSpecification reader() {
        return TestTokens.as(READER);
    }

    static RequestSpecification admin() {
        return TestTokens.as(ADMIN);
    }

    /** The street's dispatcher {@value #DISPATCHER}. */
    static String dispatcher(String street) {
        return TestTokens.dispatcher(DISPATCHER, street);
    }

    /** A request as the street's dispatcher {@value #DISPATCHER}. */
    static RequestSpecification asDispatcher(String street) {
        return TestTokens.as(dispatcher(street));
    }

    static String street() {
        return "t" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * A unit of the street handling the categories, with one member {@code <id>-m1} on duty round
     * the clock (a unit with nobody on duty is never recommended); id = street + "-" + suffix.
     */
    static String unit(String street, String suffix, String type, List<String> categories, int capacity, double lat,
            double lon) {
        String id = street + "-" + suffix;
        admin().contentType(ContentType.JSON).body(Map.of("id", id, "name", "单位 " + suffix, "type", type, "street",
                street, "grids", List.of(street + "-01"), "categories", categories, "capacity", capacity, "latitude", lat,
                "longitude", lon)).post("/api/units").then().statusCode(201);
        admin().contentType(ContentType.JSON).body(List.of(Map.of("memberId", id + "-m1", "name", "张三", "phone",
                "13900000001", "role", "队员"))).put("/api/units/" + id + "/members").then().statusCode(200);
        admin().contentType(ContentType.JSON).body(List.of(Map.of("memberId", id + "-m1", "days",
                List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"), "start", "00:00", "end", "00:00")))
                .put("/api/units/" + id + "/shifts").then().statusCode(200);
        return id;
    }

    /** Sends the ticket.received example for a new ticket of the street and category; returns its id once dispatch has it. */
    static String ticket(EventProbe probe, String street, String category) {
        String[] t = TicketDispatchTest.exampleTicketReceived();
        String event = t[1].replace("\"street\": \"wukang\"", "\"street\": \"" + street + "\"")
                .replace("\"grid\": \"wukang-03\"", "\"grid\": \"" + street + "-01\"")
                .replace("\"category\": \"NOISE\"", "\"category\": \"" + category + "\"");
        probe.send("ticket-events", t[0], event);
        await().atMost(WAIT).untilAsserted(() -> reader().get("/api/dispatch/tickets/" + t[0]).then().statusCode(200));
        return t[0];
    }

    static ValidatableResponse ticketView(String id) {
        return reader().get("/api/dispatch/tickets/" + id).then().statusCode(200);
    }

    /** The ticket's assignment of that unit (the latest one). */
    static String assignmentOf(String ticket, String unitId) {
        List<Map<String, Object>> as = ticketView(ticket).extract().path("assignments");
        return as.stream().filter(a -> unitId.equals(a.get("unitId"))).reduce((a, b) -> b)
                .map(a -> (String) a.get("id")).orElseThrow(() -> new AssertionError(unitId + " has no assignment"));
    }

    /** A field action as member {@code <unit>-m1} of the unit (body null: none). */
    static ValidatableResponse field(String unit, String assignment, String action, Object body) {
        return fieldAs(TestTokens.field(unit + "-m1", unit), assignment, action, body);
    }

    static ValidatableResponse fieldAs(String token, String assignment, String action, Object body) {
        var req = TestTokens.as(token);
        if (body != null) {
            req = req.contentType(ContentType.JSON).body(body);
        }
        return req.post("/api/field/assignments/" + assignment + "/" + action).then();
    }

    /** A command-room action as the street's dispatcher {@value #DISPATCHER} (body null: none). */
    static ValidatableResponse console(String street, String path, Object body) {
        return consoleAs(dispatcher(street), path, body);
    }

    static ValidatableResponse consoleAs(String token, String path, Object body) {
        var req = TestTokens.as(token);
        if (body != null) {
            req = req.contentType(ContentType.JSON).body(body);
        }
        return req.post("/api/dispatch/" + path).then();
    }

    /**
     * How many events of the type about the ticket dispatch has written to its outbox (published or
     * not): what its committed transactions decided, without waiting for the relay.
     */
    static long outboxed(String subject, String type) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> ((Number) io.quarkus.hibernate.orm.panache.Panache
                .getEntityManager().createNativeQuery("select count(*) from outbox_event where event_key = ?1 and type = ?2")
                .setParameter(1, subject).setParameter(2, type).getSingleResult()).longValue());
    }

    /** Waits for an event of the type about the ticket, checks key and schema, returns its data. */
    static com.fasterxml.jackson.databind.JsonNode event(EventProbe probe, String subject, String type, int index) {
        await().atMost(WAIT).until(() -> probe.ofType(subject, type).size() > index);
        EventProbe.Seen seen = probe.ofType(subject, type).get(index);
        assertEquals(subject, seen.key());
        assertEquals(Set.of(), EventSchemas.violations(seen.value()), seen.value());
        return seen.json().path("data");
    }

    /** Every dispatch event published about the ticket so far matches its schema. */
    static void allValid(EventProbe probe, String subject) {
        for (EventProbe.Seen s : probe.about(subject)) {
            assertEquals(Set.of(), EventSchemas.violations(s.value()), s.value());
        }
    }
}

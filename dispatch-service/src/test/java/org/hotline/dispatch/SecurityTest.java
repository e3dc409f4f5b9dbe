package org.hotline.dispatch;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hotline.backbone.security.Roles;
import org.hotline.backbone.security.SignedToken;
import org.hotline.backbone.testing.EndpointSecurity;
import org.hotline.backbone.testing.EventProbe;
import org.hotline.backbone.testing.InfraResource;
import org.hotline.backbone.testing.SseStream;
import org.hotline.backbone.testing.TestTokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/**
 * Who may do what in the command room, on the field phone and with the units (issue #7): the role
 * of every endpoint, the street/area scope of dispatchers and supervisors, a field member's own
 * unit, staff phone masking, and the audit trail (including the one-tap link).
 */
@QuarkusTest
@WithTestResource(InfraResource.class)
class SecurityTest {

    private static final Set<String> COMMAND_ROOM = Set.of(Roles.DISPATCHER, Roles.SUPERVISOR);
    private static final Set<String> SUPERVISOR = Set.of(Roles.SUPERVISOR);
    private static final Set<String> FIELD = Set.of(Roles.FIELD);
    private static final Set<String> ADMIN = Set.of(Roles.ADMIN);
    private static final Set<String> UNIT_READERS = Set.of(Roles.DISPATCHER, Roles.SUPERVISOR, Roles.ADMIN, Roles.FIELD);

    /** CONSUMER_DISPUTE is never auto-dispatched in the test profile: the ticket waits in NEW. */
    static final String MANUAL = "CONSUMER_DISPUTE";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "hotline.ack-token.secret", defaultValue = "dev-ack-secret-change-me")
    String secret;

    @TestHTTPResource("/api/dispatch/queue/stream")
    URL stream;

    EventProbe probe() {
        return StreetFixture.probe(bootstrap);
    }

    @Test
    void everyEndpointRefusesTheRolesItMust() {
        EndpointSecurity.verify(Map.ofEntries(
                Map.entry("GET /api/dispatch/tickets/{id}", COMMAND_ROOM),
                Map.entry("GET /api/dispatch/tickets/{id}/recommendations", COMMAND_ROOM),
                Map.entry("GET /api/dispatch/tickets/{id}/whistle", COMMAND_ROOM),
                Map.entry("POST /api/dispatch/tickets/{id}/take", COMMAND_ROOM),
                Map.entry("POST /api/dispatch/tickets/{id}/caller-contacted", COMMAND_ROOM),
                Map.entry("POST /api/dispatch/tickets/{id}/dispatch", COMMAND_ROOM),
                Map.entry("POST /api/dispatch/tickets/{id}/whistle", COMMAND_ROOM),
                Map.entry("POST /api/dispatch/tickets/{id}/redispatch", COMMAND_ROOM),
                Map.entry("POST /api/dispatch/tickets/{id}/close", COMMAND_ROOM),
                Map.entry("POST /api/dispatch/assignments/{id}/return/accept", COMMAND_ROOM),
                Map.entry("POST /api/dispatch/assignments/{id}/return/reject", COMMAND_ROOM),
                Map.entry("POST /api/dispatch/extensions/{id}/approve", SUPERVISOR),
                Map.entry("POST /api/dispatch/extensions/{id}/deny", SUPERVISOR),
                Map.entry("GET /api/dispatch/queue", Set.of(Roles.DISPATCHER, Roles.SUPERVISOR, Roles.MONITORING)),
                Map.entry("GET /api/dispatch/queue/stream", COMMAND_ROOM),
                Map.entry("GET /api/field/assignments", FIELD),
                Map.entry("POST /api/field/assignments/{id}/acknowledge", FIELD),
                Map.entry("POST /api/field/assignments/{id}/arrive", FIELD),
                Map.entry("POST /api/field/assignments/{id}/resolve", FIELD),
                Map.entry("POST /api/field/assignments/{id}/return", FIELD),
                Map.entry("POST /api/field/assignments/{id}/extensions", FIELD),
                Map.entry("GET /api/field/ack/{token}", EndpointSecurity.PUBLIC),
                Map.entry("POST /api/field/ack/{token}", EndpointSecurity.PUBLIC),
                Map.entry("GET /api/ui/config", EndpointSecurity.PUBLIC),
                Map.entry("POST /api/ui/dev-token", EndpointSecurity.PUBLIC),
                Map.entry("GET /api/units", UNIT_READERS),
                Map.entry("GET /api/units/{id}", UNIT_READERS),
                Map.entry("POST /api/units", ADMIN),
                Map.entry("PUT /api/units/{id}", ADMIN),
                Map.entry("POST /api/units/{id}/status", Set.of(Roles.ADMIN, Roles.DISPATCHER)),
                Map.entry("PUT /api/units/{id}/members", ADMIN),
                Map.entry("PUT /api/units/{id}/shifts", ADMIN),
                Map.entry("GET /api/audit", Set.of(Roles.ADMIN, Roles.SUPERVISOR))));
    }


    /** A new ticket of street wukang, left NEW (its category is never auto-dispatched). */
    String wukangTicket() {
        String[] t = TicketDispatchTest.exampleTicketReceived();
        probe().send("ticket-events", t[0], t[1].replace("\"category\": \"NOISE\"", "\"category\": \"" + MANUAL + "\""));
        org.awaitility.Awaitility.await().atMost(StreetFixture.WAIT).untilAsserted(() -> StreetFixture.asDispatcher("wukang")
                .get("/api/dispatch/tickets/" + t[0]).then().statusCode(200).body("street", equalTo("wukang")));
        return t[0];
    }

    @Test
    void aDispatcherOfAnotherStreetCannotReadTakeOrDispatchAWukangTicket() {
        String ticket = wukangTicket();
        String other = TestTokens.dispatcher("hn-liu", "hunan");
        String path = "/api/dispatch/tickets/" + ticket;

        for (String read : List.of(path, path + "/recommendations", path + "/whistle")) {
            TestTokens.as(other).get(read).then().statusCode(403).contentType(startsWith("application/problem+json"))
                    .body("detail", equalTo("street wukang is outside your area"));
        }
        TestTokens.as(other).post(path + "/take").then().statusCode(403).contentType(startsWith("application/problem+json"));
        TestTokens.as(other).post(path + "/caller-contacted").then().statusCode(403);
        TestTokens.as(other).contentType(ContentType.JSON).body(Map.of("units", List.of(Map.of("unitId", "wk-dqs-1",
                "role", "LEAD")))).post(path + "/dispatch").then().statusCode(403);
        TestTokens.as(other).contentType(ContentType.JSON).body(Map.of("units", List.of(Map.of("unitId", "wk-dqs-1",
                "role", "LEAD")))).post(path + "/whistle").then().statusCode(403);
        TestTokens.as(other).post(path + "/redispatch").then().statusCode(403);
        TestTokens.as(other).post(path + "/close").then().statusCode(403);
        // a supervisor of another street neither; a dispatcher token without a street covers none
        TestTokens.as(TestTokens.supervisor("hn-sup", "hunan")).get(path).then().statusCode(403);
        TestTokens.as(TestTokens.token("d-nostreet", Set.of(Roles.DISPATCHER), Map.of())).get(path).then().statusCode(403);
        // admin and monitoring read across streets elsewhere, but the command room is not theirs
        TestTokens.as(TestTokens.admin("admin")).post(path + "/take").then().statusCode(403)
                .body("detail", equalTo("your role may not do this"));
        // nor do they widen a command-room login that also drives the wall screen: it reads, but acts on its street only
        String alsoMonitoring = TestTokens.token("hn-wall", Set.of(Roles.DISPATCHER, Roles.MONITORING),
                Map.of("street", "hunan"));
        TestTokens.as(alsoMonitoring).get(path).then().statusCode(200);
        TestTokens.as(alsoMonitoring).post(path + "/take").then().statusCode(403)
                .body("detail", equalTo("street wukang is outside your area"));
        TestTokens.as(alsoMonitoring).post(path + "/close").then().statusCode(403);
        TestTokens.as(TestTokens.token("hn-sup-wall", Set.of(Roles.SUPERVISOR, Roles.MONITORING), Map.of("area", "hunan")))
                .post(path + "/redispatch").then().statusCode(403);
        // nothing changed
        StreetFixture.asDispatcher("wukang").get(path).then().statusCode(200).body("stage", equalTo("NEW"))
                .body("takenAt", equalTo(null)).body("assignments", org.hamcrest.Matchers.hasSize(0));

        // the street's own dispatcher, its supervisor and the county's may
        TestTokens.as(TestTokens.supervisor("wk-wang", "wukang")).get(path + "/recommendations").then().statusCode(200);
        TestTokens.as(TestTokens.supervisor("county-sup", Roles.COUNTY)).get(path).then().statusCode(200);
        StreetFixture.asDispatcher("wukang").post(path + "/take").then().statusCode(200).body("takenBy", equalTo(StreetFixture.DISPATCHER));
    }

    @Test
    void aFieldMemberActsOnAndSeesOnlyHisOwnUnitsAssignments() {
        String street = StreetFixture.street();
        String a = StreetFixture.unit(street, "a", "OTHER", List.of(MANUAL), 3, StreetFixture.LAT, StreetFixture.LON);
        String b = StreetFixture.unit(street, "b", "OTHER", List.of(MANUAL), 3, StreetFixture.LAT, StreetFixture.LON);
        String ticket = StreetFixture.ticket(probe(), street, MANUAL);
        StreetFixture.console(street, "tickets/" + ticket + "/dispatch", Map.of("units", List.of(
                Map.of("unitId", a, "role", "LEAD"), Map.of("unitId", b, "role", "ASSIST")))).statusCode(200);
        String ofA = StreetFixture.assignmentOf(ticket, a);
        String ofB = StreetFixture.assignmentOf(ticket, b);
        StreetFixture.field(b, ofB, "acknowledge", null).statusCode(200);
        String memberOfA = TestTokens.field(a + "-m1", a);

        // A's member, by B's assignment id: refused for every action, and nothing changes
        StreetFixture.fieldAs(memberOfA, ofB, "acknowledge", null).statusCode(403).contentType(startsWith("application/problem+json"))
                .body("detail", equalTo("assignment " + ofB + " is not your unit's"));
        StreetFixture.fieldAs(memberOfA, ofB, "arrive", null).statusCode(403);
        StreetFixture.fieldAs(memberOfA, ofB, "resolve", Map.of("outcome", "SOLVED", "note", "x")).statusCode(403);
        StreetFixture.fieldAs(memberOfA, ofB, "return", Map.of("reasonCode", "WRONG_ADDRESS")).statusCode(403);
        StreetFixture.fieldAs(memberOfA, ofB, "extensions", Map.of("reason", "x", "proposedDeadline",
                Instant.now().plus(1, ChronoUnit.HOURS).toString())).statusCode(403);
        StreetFixture.ticketView(ticket).body("assignments.find { it.id == '" + ofB + "' }.status", equalTo("ACKNOWLEDGED"))
                .body("assignments.find { it.id == '" + ofB + "' }.arrivedAt", equalTo(null))
                .body("returnCount", equalTo(0)).body("extensions", org.hamcrest.Matchers.hasSize(0));

        // each member's list is his own unit's
        TestTokens.as(memberOfA).get("/api/field/assignments").then().statusCode(200)
                .body("id", hasItem(ofA)).body("id", not(hasItem(ofB))).body("unitId", everyItem(equalTo(a)));
        TestTokens.as(TestTokens.field(b + "-m1", b)).get("/api/field/assignments?all=true").then().statusCode(200)
                .body("id", contains(ofB));

        // a field token without unit and member claims; a token whose unit the roster does not confirm
        String noClaims = TestTokens.token(a + "-m1", Set.of(Roles.FIELD), Map.of());
        TestTokens.as(noClaims).get("/api/field/assignments").then().statusCode(403)
                .body("detail", equalTo("your token names no unit and member"));
        StreetFixture.fieldAs(noClaims, ofA, "acknowledge", null).statusCode(403);
        String claimsA = TestTokens.field(b + "-m1", a); // B's member, claiming unit A
        TestTokens.as(claimsA).get("/api/field/assignments").then().statusCode(403);
        StreetFixture.fieldAs(claimsA, ofA, "acknowledge", null).statusCode(403)
                .body("detail", equalTo("member " + b + "-m1 belongs to unit " + b + ", not to " + a));
        // a command-room role is not a field member
        TestTokens.as(StreetFixture.dispatcher(street)).post("/api/field/assignments/" + ofA + "/acknowledge").then().statusCode(403);
        StreetFixture.fieldAs(memberOfA, ofA, "acknowledge", null).statusCode(200).body("ackedBy", equalTo(a + "-m1"));
    }

    @Test
    void onlyASupervisorCoveringTheStreetDecidesAnExtension() {
        String street = StreetFixture.street();
        String unit = StreetFixture.unit(street, "a", "GRID_WORKER", List.of("NOISE"), 3, StreetFixture.LAT, StreetFixture.LON);
        String ticket = StreetFixture.ticket(probe(), street, "NOISE");
        String a = StreetFixture.assignmentOf(ticket, unit);
        StreetFixture.field(unit, a, "acknowledge", null).statusCode(200);
        String ext = StreetFixture.field(unit, a, "extensions", Map.of("reason", "需协调物业", "proposedDeadline",
                Instant.now().plus(2, ChronoUnit.HOURS).toString())).statusCode(200).extract().path("extensionId");

        StreetFixture.consoleAs(TestTokens.supervisor("sup-other", "hunan"), "extensions/" + ext + "/approve", null).statusCode(403)
                .contentType(startsWith("application/problem+json"))
                .body("detail", equalTo("street " + street + " is outside your area"));
        StreetFixture.consoleAs(TestTokens.supervisor("sup-other", "hunan"), "extensions/" + ext + "/deny", null).statusCode(403);
        // deciding is a supervisor's, not the street's dispatcher's
        StreetFixture.console(street, "extensions/" + ext + "/approve", null).statusCode(403)
                .body("detail", equalTo("your role may not do this"));
        // the actor is the token's: a body naming the supervisor is refused
        StreetFixture.consoleAs(TestTokens.supervisor("county-sup", Roles.COUNTY), "extensions/" + ext + "/approve",
                Map.of("supervisor", "someone")).statusCode(400).body("errors[0].field", equalTo("supervisor"));
        StreetFixture.ticketView(ticket).body("extensions[0].status", equalTo("PENDING"));

        StreetFixture.consoleAs(TestTokens.supervisor("county-sup", Roles.COUNTY), "extensions/" + ext + "/approve", null)
                .statusCode(200).body("extensions[0].status", equalTo("APPROVED"))
                .body("extensions[0].decidedBy", equalTo("county-sup"));
    }

    @Test
    void staffPhonesAreInFullForAdminAndTheStreetsDispatchersOnly() {
        String street = StreetFixture.street();
        String unit = StreetFixture.unit(street, "a", "GRID_WORKER", List.of("NOISE"), 3, StreetFixture.LAT, StreetFixture.LON);
        String path = "/api/units/" + unit;

        StreetFixture.admin().get(path).then().statusCode(200).body("members[0].phone", equalTo("13900000001"));
        StreetFixture.asDispatcher(street).get(path).then().statusCode(200).body("members[0].phone", equalTo("13900000001"));
        StreetFixture.asDispatcher(street).get("/api/units").then().statusCode(200).body("unitId", contains(unit))
                .body("members[0].phone", contains("13900000001"));
        // masked for a supervisor (even of the street) and for the unit's own field member; names stay
        TestTokens.as(TestTokens.supervisor("sup", street)).get(path).then().statusCode(200)
                .body("members[0].phone", equalTo("139****0001")).body("members[0].name", equalTo("张三"));
        TestTokens.as(TestTokens.supervisor("county-sup", Roles.COUNTY)).queryParam("street", street).get("/api/units")
                .then().statusCode(200).body("members[0].phone", contains("139****0001"));
        String member = TestTokens.field(unit + "-m1", unit);
        String body = TestTokens.as(member).get(path).then().statusCode(200)
                .body("members[0].phone", equalTo("139****0001")).extract().asString();
        assertFalse(body.contains("13900000001"), body);
        TestTokens.as(member).get("/api/units").then().statusCode(200).body("unitId", contains(unit));
        // other streets' units: not to a dispatcher, not to another unit's member
        TestTokens.as(TestTokens.dispatcher("d-other", "hunan")).get(path).then().statusCode(403);
        TestTokens.as(TestTokens.dispatcher("d-other", "hunan")).queryParam("street", street).get("/api/units").then()
                .statusCode(403);
        TestTokens.as(TestTokens.field("wk-grid-01-m1", "wk-grid-01")).get(path).then().statusCode(403);
        // status: the street's dispatcher may, another street's may not; rosters are admin's
        StreetFixture.asDispatcher(street).contentType(ContentType.JSON).body(Map.of("status", "BUSY")).post(path + "/status").then()
                .statusCode(200).body("status", equalTo("BUSY")).body("members[0].phone", equalTo("13900000001"));
        TestTokens.as(TestTokens.dispatcher("d-other", "hunan")).contentType(ContentType.JSON)
                .body(Map.of("status", "OFF_DUTY")).post(path + "/status").then().statusCode(403);
        StreetFixture.asDispatcher(street).contentType(ContentType.JSON).body(List.of()).put(path + "/members").then().statusCode(403);
        StreetFixture.admin().get(path).then().body("status", equalTo("BUSY")).body("members", org.hamcrest.Matchers.hasSize(1));
    }

    @Test
    void theQueueAndItsStreamAreTheReadersStreetOnly() throws IOException {
        String street = StreetFixture.street();
        StreetFixture.asDispatcher(street).queryParam("street", "hunan").get("/api/dispatch/queue").then().statusCode(403)
                .contentType(startsWith("application/problem+json"));
        TestTokens.as(TestTokens.supervisor("sup", street)).queryParam("street", "hunan").get("/api/dispatch/queue")
                .then().statusCode(403);
        TestTokens.as(TestTokens.monitoring("grafana")).queryParam("street", street).get("/api/dispatch/queue").then()
                .statusCode(200);

        HttpURLConnection c = (HttpURLConnection) new URL(stream + "?street=hunan").openConnection();
        c.setRequestProperty("Accept", "text/event-stream");
        c.setRequestProperty("Authorization", TestTokens.bearer(StreetFixture.dispatcher(street)));
        c.setReadTimeout(10_000);
        try {
            assertEquals(403, c.getResponseCode());
            assertEquals(true, c.getContentType().startsWith("application/problem+json"), c.getContentType());
            String problem = new String(c.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            org.hamcrest.MatcherAssert.assertThat(problem, containsString("street hunan is outside your area"));
        } finally {
            c.disconnect();
        }
    }

    @Test
    void aQueueStreamEndsWhenTheTokenThatOpenedItExpires() throws Exception {
        String street = StreetFixture.street();
        String shortLived = TestTokens.expiringIn(3, "d-short", Set.of(Roles.DISPATCHER), Map.of("street", street));
        try (SseStream s = SseStream.open(stream + "?street=" + street, shortLived)) {
            await().atMost(Duration.ofSeconds(20)).until(s::ended);
        }
        // a day-long token's stream stays open meanwhile (CommandRoomTest streams with one)
    }

    @Test
    void takeDispatchAcknowledgeAndAnExtensionAreAuditedWithTheTicketAndTheActors() {
        String street = StreetFixture.street();
        String unit = StreetFixture.unit(street, "a", "GRID_WORKER", List.of(MANUAL), 3, StreetFixture.LAT, StreetFixture.LON);
        String ticket = StreetFixture.ticket(probe(), street, MANUAL);
        String dispatcher = "audit-" + UUID.randomUUID().toString().substring(0, 8);
        String token = TestTokens.dispatcher(dispatcher, street);

        StreetFixture.consoleAs(TestTokens.dispatcher("intruder", "hunan"), "tickets/" + ticket + "/take", null).statusCode(403);
        StreetFixture.consoleAs(token, "tickets/" + ticket + "/take", null).statusCode(200);
        StreetFixture.consoleAs(token, "tickets/" + ticket + "/dispatch", Map.of("units", List.of(Map.of("unitId", unit,
                "role", "LEAD")))).statusCode(200);
        String a = StreetFixture.assignmentOf(ticket, unit);
        StreetFixture.field(unit, a, "acknowledge", null).statusCode(200);
        String ext = StreetFixture.field(unit, a, "extensions", Map.of("reason", "需协调物业", "proposedDeadline",
                Instant.now().plus(2, ChronoUnit.HOURS).toString())).statusCode(200).extract().path("extensionId");
        StreetFixture.consoleAs(TestTokens.supervisor("audit-sup", street), "extensions/" + ext + "/deny", null).statusCode(200);

        // newest first; the assignment's and the extension's actions carry the ticket they belong to
        TestTokens.as(TestTokens.admin("auditor")).queryParam("ticket", ticket).get("/api/audit").then().statusCode(200)
                .body("action", contains("POST /api/dispatch/extensions/{id}/deny",
                        "POST /api/field/assignments/{id}/extensions", "POST /api/field/assignments/{id}/acknowledge",
                        "POST /api/dispatch/tickets/{id}/dispatch", "POST /api/dispatch/tickets/{id}/take",
                        "POST /api/dispatch/tickets/{id}/take"))
                .body("actor", contains("audit-sup", unit + "-m1", unit + "-m1", dispatcher, dispatcher, "intruder"))
                .body("roles", contains("supervisor", "field", "field", "dispatcher", "dispatcher", "dispatcher"))
                .body("status", contains(200, 200, 200, 200, 200, 403))
                .body("ticketId", everyItem(equalTo(ticket)));
    }

    @Test
    void anAcknowledgementBySignedLinkIsAuditedWithTheMemberAsActor() {
        String street = StreetFixture.street();
        String unit = StreetFixture.unit(street, "a", "GRID_WORKER", List.of("NOISE"), 3, StreetFixture.LAT, StreetFixture.LON);
        String ticket = StreetFixture.ticket(probe(), street, "NOISE");
        String a = StreetFixture.assignmentOf(ticket, unit);
        String link = SignedToken.sign(secret.getBytes(StandardCharsets.UTF_8), Map.of("assignment", a, "member",
                unit + "-m1"), Instant.now().plusSeconds(600));

        RestAssured.given().post("/api/field/ack/" + link).then().statusCode(200).body("ackedBy", equalTo(unit + "-m1"));
        RestAssured.given().post("/api/field/ack/" + link).then().statusCode(409);

        TestTokens.as(TestTokens.supervisor("auditor", Roles.COUNTY)).queryParam("ticket", ticket).get("/api/audit").then()
                .statusCode(200)
                .body("action", everyItem(equalTo("POST /api/field/ack/{token}")))
                .body("actor", contains(unit + "-m1", unit + "-m1"))
                .body("roles", everyItem(equalTo("signed-link")))
                .body("status", contains(409, 200));
    }

    @Test
    void aBodyOverTheLimitIsRefusedBeforeItIsRead() {
        String big = "{\"units\":[],\"x\":\"" + "x".repeat(70 * 1024) + "\"}";
        StreetFixture.asDispatcher("wukang").contentType(ContentType.JSON).body(big)
                .post("/api/dispatch/tickets/" + UUID.randomUUID() + "/dispatch").then().statusCode(413)
                .contentType(startsWith("application/problem+json"));
    }
}

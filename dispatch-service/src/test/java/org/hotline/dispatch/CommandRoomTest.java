package org.hotline.dispatch;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hotline.backbone.testing.EventProbe;
import org.hotline.backbone.testing.EventSchemas;
import org.hotline.backbone.testing.InfraResource;
import org.hotline.backbone.testing.SseStream;
import org.hotline.backbone.testing.TestTokens;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(InfraResource.class)
class CommandRoomTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @TestHTTPResource("/api/dispatch/queue/stream")
    URL stream;

    EventProbe probe() {
        return StreetFixture.probe(bootstrap);
    }

    /** CONSUMER_DISPUTE is not auto-dispatched in the test profile: the command room decides. */
    static final String MANUAL = "CONSUMER_DISPUTE";

    /**
     * What an action answers is the ticket as stored: the view is built in the action's transaction
     * now, from what it wrote, so a time it stamped must be the time a later read shows (PostgreSQL
     * keeps microseconds; a clock with finer digits made the answer and the next read disagree).
     */
    @Test
    void theTicketAnActionAnswersWithIsTheTicketAsStored() {
        String street = StreetFixture.street();
        String unit = StreetFixture.unit(street, "t", "GRID_WORKER", List.of("NOISE"), 3, StreetFixture.LAT,
                StreetFixture.LON);
        String ticket = StreetFixture.ticket(probe(), street, "NOISE");
        String a = StreetFixture.assignmentOf(ticket, unit);
        StreetFixture.field(unit, a, "acknowledge", null).statusCode(200);
        for (String action : List.of("take", "caller-contacted")) {
            Map<String, Object> answered = StreetFixture.console(street, "tickets/" + ticket + "/" + action, null)
                    .statusCode(200).extract().jsonPath().getMap("");
            Map<String, Object> stored = StreetFixture.ticketView(ticket).extract().jsonPath().getMap("");
            assertEquals(stored, answered, action);
        }
    }

    @Test
    void aJointDispatchHasOneLeadAndAssistingUnitsAndAReDispatchWithdrawsTheLead() {
        String street = StreetFixture.street();
        String police = StreetFixture.unit(street, "pcs", "POLICE_STATION", List.of(MANUAL), 3, StreetFixture.LAT, StreetFixture.LON);
        String mediation = StreetFixture.unit(street, "dqs", "MEDIATION", List.of(MANUAL), 3, 30.55, 119.97);
        String market = StreetFixture.unit(street, "scjg", "OTHER", List.of(MANUAL), 3, 30.56, 119.98);
        String ticket = StreetFixture.ticket(probe(), street, MANUAL);
        StreetFixture.ticketView(ticket).body("stage", equalTo("NEW")).body("assignments", hasSize(0));

        StreetFixture.console(street, "tickets/" + ticket + "/dispatch", Map.of("units", List.of(
                Map.of("unitId", police, "role", "LEAD"), Map.of("unitId", market, "role", "LEAD")))).statusCode(400);
        StreetFixture.console(street, "tickets/" + ticket + "/dispatch", Map.of("units", List.of(
                Map.of("unitId", police, "role", "ASSIST")))).statusCode(400);
        StreetFixture.console(street, "tickets/" + ticket + "/dispatch", Map.of("units", List.of()))
                .statusCode(400).body("errors[0].field", equalTo("units"));
        StreetFixture.ticketView(ticket).body("assignments", hasSize(0));

        StreetFixture.console(street, "tickets/" + ticket + "/dispatch", Map.of("units", List.of(
                Map.of("unitId", mediation, "role", "LEAD"), Map.of("unitId", police, "role", "ASSIST"))))
                .statusCode(200).body("stage", equalTo("DISPATCHED")).body("assignments", hasSize(2));
        // a second lead is refused; the command room re-dispatches instead
        StreetFixture.consoleAs(TestTokens.dispatcher("wk-wang", street), "tickets/" + ticket + "/dispatch", Map.of("units", List.of(
                Map.of("unitId", market, "role", "LEAD")))).statusCode(409);
        StreetFixture.console(street, "tickets/" + ticket + "/redispatch", Map.of("unitId", market, "reason",
                "市场监管所主办")).statusCode(200)
                .body("assignments.find { it.unitId == '" + mediation + "' }.status", equalTo("WITHDRAWN"))
                .body("assignments.find { it.unitId == '" + market + "' }.role", equalTo("LEAD"))
                .body("assignments.find { it.unitId == '" + police + "' }.status", equalTo("OFFERED"));

        JsonNode created = StreetFixture.event(probe(), ticket, "assignment.created", 0);
        assertEquals("DISPATCH", created.path("reason").asText());
        assertEquals(false, created.path("automatic").asBoolean());
        JsonNode withdrawn = StreetFixture.event(probe(), ticket, "assignment.withdrawn", 0);
        assertEquals(mediation, withdrawn.path("unitId").asText());
        assertEquals("REDISPATCH", withdrawn.path("reason").asText());
        assertEquals("wk-zhang", withdrawn.path("actor").asText());
        JsonNode redispatched = StreetFixture.event(probe(), ticket, "assignment.created", 2);
        assertEquals("REDISPATCH", redispatched.path("reason").asText());
        assertEquals("LEAD", redispatched.path("role").asText());
        StreetFixture.allValid(probe(), ticket);
    }

    @Test
    void theWhistleSummonsDepartmentsAndShowsWhichReportedIn() {
        String street = StreetFixture.street();
        String zf = StreetFixture.unit(street, "zf", "LAW_ENFORCEMENT", List.of(MANUAL), 3, StreetFixture.LAT, StreetFixture.LON);
        String cg = StreetFixture.unit(street, "cg", "CITY_MANAGEMENT", List.of(MANUAL), 3, StreetFixture.LAT, StreetFixture.LON);
        String grid = StreetFixture.unit(street, "grid", "GRID_WORKER", List.of(MANUAL), 3, StreetFixture.LAT, StreetFixture.LON);
        String ticket = StreetFixture.ticket(probe(), street, MANUAL);

        StreetFixture.console(street, "tickets/" + ticket + "/whistle", Map.of("units", List.of(
                Map.of("unitId", grid, "role", "LEAD"), Map.of("unitId", zf, "role", "ASSIST"),
                Map.of("unitId", cg, "role", "ASSIST")))).statusCode(200).body("departments", hasSize(3))
                .body("allReportedIn", equalTo(false));
        StreetFixture.field(zf, StreetFixture.assignmentOf(ticket, zf), "acknowledge", null).statusCode(200);
        StreetFixture.field(grid, StreetFixture.assignmentOf(ticket, grid), "acknowledge", null).statusCode(200);
        StreetFixture.asDispatcher(street).get("/api/dispatch/tickets/" + ticket + "/whistle").then().statusCode(200)
                .body("[0].allReportedIn", equalTo(false))
                .body("[0].departments.find { it.unitId == '" + zf + "' }.reportedIn", equalTo(true))
                .body("[0].departments.find { it.unitId == '" + cg + "' }.reportedIn", equalTo(false))
                .body("[0].departments.find { it.unitId == '" + grid + "' }.reportedInBy", equalTo(grid + "-m1"));
        StreetFixture.field(cg, StreetFixture.assignmentOf(ticket, cg), "acknowledge", null).statusCode(200);
        StreetFixture.asDispatcher(street).get("/api/dispatch/tickets/" + ticket + "/whistle").then().body("[0].allReportedIn", equalTo(true));

        JsonNode blown = StreetFixture.event(probe(), ticket, "whistle.blown", 0);
        assertEquals(3, blown.path("unitIds").size());
        JsonNode created = StreetFixture.event(probe(), ticket, "assignment.created", 2);
        assertEquals(blown.path("summonId").asText(), created.path("summonId").asText());
        StreetFixture.allValid(probe(), ticket);
    }

    @Test
    void theQueueListsTheStreetsTicketsByStageMostUrgentFirstAndStreamsChanges() throws Exception {
        String street = StreetFixture.street();
        String unit = StreetFixture.unit(street, "a", "OTHER", List.of(MANUAL), 5, StreetFixture.LAT, StreetFixture.LON);
        try (SseStream stream = SseStream.open(this.stream + "?street=" + street, StreetFixture.dispatcher(street))) {
            List<String> events = stream.data();

            String older = StreetFixture.ticket(probe(), street, MANUAL);
            String newer = StreetFixture.ticket(probe(), street, MANUAL);
            String taken = StreetFixture.ticket(probe(), street, MANUAL);
            StreetFixture.console(street, "tickets/" + taken + "/take", null).statusCode(200);
            StreetFixture.console(street, "tickets/" + older + "/dispatch", Map.of("units", List.of(
                    Map.of("unitId", unit, "role", "LEAD")))).statusCode(200);

            // the example's reportedAt is the same for all three: ties break by id, so order by the reported time first
            StreetFixture.asDispatcher(street).queryParam("street", street).get("/api/dispatch/queue").then().statusCode(200)
                    .body("stage", contains("NEW", "TAKEN", "DISPATCHED", "ON_SCENE", "RESOLVED"))
                    .body("find { it.stage == 'NEW' }.tickets.ticketId", contains(newer))
                    .body("find { it.stage == 'TAKEN' }.tickets.ticketId", contains(taken))
                    .body("find { it.stage == 'DISPATCHED' }.tickets[0].leadUnitId", equalTo(unit))
                    .body("find { it.stage == 'DISPATCHED' }.count", equalTo(1));
            StreetFixture.asDispatcher(street).queryParam("street", street).queryParam("stage", "TAKEN,DISPATCHED").get("/api/dispatch/queue")
                    .then().statusCode(200).body("stage", contains("TAKEN", "DISPATCHED"));
            StreetFixture.asDispatcher(street).queryParam("street", street).queryParam("stage", "CANCELLED").get("/api/dispatch/queue").then()
                    .statusCode(400).body("errors[0].field", equalTo("stage"));
            // no street asked: the dispatcher's own
            StreetFixture.asDispatcher(street).get("/api/dispatch/queue").then().statusCode(200)
                    .body("find { it.stage == 'TAKEN' }.tickets.ticketId", contains(taken));

            await().atMost(StreetFixture.WAIT).until(() -> events.stream().anyMatch(e -> e.contains(older) && e.contains("DISPATCHED"))
                    && events.stream().anyMatch(e -> e.contains(taken) && e.contains("\"TAKEN\""))
                    && events.stream().anyMatch(e -> e.contains(newer) && e.contains("\"NEW\"")));
            assertTrue(events.stream().allMatch(e -> e.contains("\"street\":\"" + street + "\"")), "only this street");
        }
    }

    /**
     * The queue orders by the SLA service's real deadlines (sla.stage-started), not by a copy of the
     * 13830 limits: a ticket whose policy gives it longer waits behind a later one due sooner; a
     * ticket whose deadlines are not known yet counts from its receipt; a stage met no longer counts.
     */
    @Test
    void theQueueFollowsTheRealDeadlinesOfTheStagesNotYetMet() {
        String street = StreetFixture.street();
        StreetFixture.unit(street, "a", "OTHER", List.of(MANUAL), 5, StreetFixture.LAT, StreetFixture.LON);
        String relaxed = ticketReportedAt(street, "2026-11-23T02:00:00Z");
        String urgent = ticketReportedAt(street, "2026-11-23T02:10:00Z");
        String unknown = ticketReportedAt(street, "2026-11-23T01:50:00Z");
        // a 30-minute response for the first (another policy), the 13830 minute for the second
        stageStarted(relaxed, "RESPOND", 0, "2026-11-23T02:30:00Z");
        stageStarted(relaxed, "DISPATCH_CONTACT", 0, "2026-11-23T03:00:00Z");
        stageStarted(urgent, "RESPOND", 0, "2026-11-23T02:11:00Z");
        stageStarted(urgent, "DISPATCH_CONTACT", 0, "2026-11-23T02:13:00Z");
        // an earlier round's deadline does not count
        stageStarted(unknown, "RESPOND", 3, "2026-11-23T01:00:00Z");
        await().atMost(StreetFixture.WAIT).untilAsserted(() -> StreetFixture.asDispatcher(street).queryParam("street", street)
                .queryParam("stage", "NEW").get("/api/dispatch/queue").then()
                .body("[0].tickets.ticketId", contains(unknown, urgent, relaxed))
                .body("[0].tickets.deadline", contains(null, "2026-11-23T02:11:00Z", "2026-11-23T02:30:00Z")));
        // taken: RESPOND is met, the ticket waits on its DISPATCH_CONTACT deadline (awaited too: the
        // wait above saw RESPOND's event, and DISPATCH_CONTACT's may come in the consumer's next batch)
        StreetFixture.console(street, "tickets/" + urgent + "/take", null).statusCode(200);
        await().atMost(StreetFixture.WAIT).untilAsserted(() -> StreetFixture.asDispatcher(street).queryParam("street", street)
                .queryParam("stage", "TAKEN").get("/api/dispatch/queue")
                .then().body("[0].tickets[0].deadline", equalTo("2026-11-23T02:13:00Z")));
    }

    private void stageStarted(String ticket, String stage, int round, String deadline) {
        String event = EventSchemas.example("sla.stage-started.json")
                .replace(TicketDispatchTest.EXAMPLE_TICKET, ticket)
                .replace("5d0c6a7e-1f2b-4c3d-9e8f-7a6b5c4d3e21", java.util.UUID.randomUUID().toString())
                .replace("\"stage\": \"RESPOND\"", "\"stage\": \"" + stage + "\"")
                .replace("\"round\": 0", "\"round\": " + round)
                .replace("\"deadline\": \"2026-11-23T02:16:28Z\"", "\"deadline\": \"" + deadline + "\"");
        probe().send("sla-events", ticket, event);
    }

    private String ticketReportedAt(String street, String reportedAt) {
        String[] t = TicketDispatchTest.exampleTicketReceived();
        probe().send("ticket-events", t[0], t[1].replace("\"street\": \"wukang\"", "\"street\": \"" + street + "\"")
                .replace("\"category\": \"NOISE\"", "\"category\": \"" + MANUAL + "\"")
                .replace("\"reportedAt\": \"2026-11-23T02:15:10Z\"", "\"reportedAt\": \"" + reportedAt + "\""));
        await().atMost(StreetFixture.WAIT).untilAsserted(() -> StreetFixture.ticketView(t[0]));
        return t[0];
    }

    @Test
    void aReopenedTicketIsBackInTheQueueForANewRound() {
        String street = StreetFixture.street();
        String unit = StreetFixture.unit(street, "a", "GRID_WORKER", List.of("NOISE"), 3, StreetFixture.LAT, StreetFixture.LON);
        String ticket = StreetFixture.ticket(probe(), street, "NOISE");
        String a = StreetFixture.assignmentOf(ticket, unit);
        StreetFixture.field(unit, a, "acknowledge", null).statusCode(200);
        StreetFixture.field(unit, a, "arrive", null).statusCode(200);
        StreetFixture.field(unit, a, "resolve", Map.of("outcome", "EXPLAINED", "note", "已解释")).statusCode(200);
        StreetFixture.console(street, "tickets/" + ticket + "/close", null).statusCode(200);

        String reopened = EventSchemas.example("ticket.reopened.json").replace(TicketDispatchTest.EXAMPLE_TICKET, ticket)
                .replace("4b5c6d7e-8f90-4a1b-9c2d-3e4f5a6b7c8d", java.util.UUID.randomUUID().toString());
        probe().send("ticket-events", ticket, reopened);
        await().atMost(StreetFixture.WAIT).untilAsserted(() -> StreetFixture.ticketView(ticket).body("stage", equalTo("NEW"))
                .body("round", equalTo(1)).body("takenAt", equalTo(null)));
        StreetFixture.asDispatcher(street).queryParam("street", street).queryParam("stage", "NEW").get("/api/dispatch/queue").then()
                .body("[0].tickets.ticketId", contains(ticket));
        // a new round: it can be taken and dispatched again
        StreetFixture.console(street, "tickets/" + ticket + "/take", null).statusCode(200);
        StreetFixture.console(street, "tickets/" + ticket + "/dispatch", Map.of("units", List.of(
                Map.of("unitId", unit, "role", "LEAD")))).statusCode(200).body("stage", equalTo("DISPATCHED"));
    }

    @Test
    void aReopenedEventForATicketNotResolvedIsIgnoredWithoutBlockingLaterEvents() {
        String street = StreetFixture.street();
        String unit = StreetFixture.unit(street, "a", "GRID_WORKER", List.of("NOISE"), 3, StreetFixture.LAT, StreetFixture.LON);
        String ticket = StreetFixture.ticket(probe(), street, "NOISE");
        StreetFixture.ticketView(ticket).body("stage", equalTo("DISPATCHED"));
        String reopened = EventSchemas.example("ticket.reopened.json").replace(TicketDispatchTest.EXAMPLE_TICKET, ticket)
                .replace("4b5c6d7e-8f90-4a1b-9c2d-3e4f5a6b7c8d", java.util.UUID.randomUUID().toString());
        probe().send("ticket-events", ticket, reopened);
        String cancelled = EventSchemas.example("ticket.cancelled.json").replace(TicketDispatchTest.EXAMPLE_TICKET, ticket)
                .replace("6c0b1a2f-3d4e-4f5a-8b6c-7d8e9f0a1b2c", java.util.UUID.randomUUID().toString());
        probe().send("ticket-events", ticket, cancelled);
        // retried and dead-lettered, the reopening would hold the cancellation back for ~22 s
        await().atMost(java.time.Duration.ofSeconds(8)).untilAsserted(() -> StreetFixture.ticketView(ticket)
                .body("stage", equalTo("CANCELLED")));
        StreetFixture.ticketView(ticket).body("round", equalTo(0)).body("dispatchedAt", org.hamcrest.Matchers.notNullValue())
                .body("assignments", hasSize(1)).body("assignments[0].unitId", equalTo(unit))
                .body("assignments[0].status", equalTo("WITHDRAWN"));
    }

    @Test
    void aReDispatchWithoutAUnitSkipsAnAssistingUnitAtTheTopOfTheRanking() {
        String street = StreetFixture.street();
        String lead = StreetFixture.unit(street, "a", "OTHER", List.of(MANUAL), 3, 30.60, 120.00);
        // the assisting unit ranks first: lowest load (1/10)
        String assist = StreetFixture.unit(street, "b", "POLICE_STATION", List.of(MANUAL), 10, StreetFixture.LAT, StreetFixture.LON);
        String third = StreetFixture.unit(street, "c", "MEDIATION", List.of(MANUAL), 2, 30.55, 119.97);
        String other = StreetFixture.ticket(probe(), street, MANUAL);
        StreetFixture.console(street, "tickets/" + other + "/dispatch", Map.of("units", List.of(
                Map.of("unitId", third, "role", "LEAD")))).statusCode(200);
        String ticket = StreetFixture.ticket(probe(), street, MANUAL);
        StreetFixture.console(street, "tickets/" + ticket + "/dispatch", Map.of("units", List.of(
                Map.of("unitId", lead, "role", "LEAD"), Map.of("unitId", assist, "role", "ASSIST")))).statusCode(200);
        StreetFixture.asDispatcher(street).get("/api/dispatch/tickets/" + ticket + "/recommendations").then().body("[0].unitId", equalTo(assist));

        StreetFixture.console(street, "tickets/" + ticket + "/redispatch", Map.of("reason", "换单位"))
                .statusCode(200);
        StreetFixture.ticketView(ticket).body("assignments.find { it.unitId == '" + third + "' }.role", equalTo("LEAD"))
                .body("assignments.find { it.unitId == '" + third + "' }.status", equalTo("OFFERED")).body("assignments.find { it.unitId == '" + assist + "' }.status", equalTo("OFFERED"))
                .body("assignments.find { it.unitId == '" + lead + "' }.status", equalTo("WITHDRAWN"));
    }
}

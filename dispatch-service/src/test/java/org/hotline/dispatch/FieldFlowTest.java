package org.hotline.dispatch;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hotline.backbone.testing.EventProbe;
import org.hotline.backbone.testing.InfraResource;
import org.hotline.backbone.testing.TestTokens;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(InfraResource.class)
class FieldFlowTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    EventProbe probe() {
        return StreetFixture.probe(bootstrap);
    }

    @Test
    void aMemberAcknowledgesArrivesAndResolvesAndTheLeadsReportsEndTheStages() {
        String street = StreetFixture.street();
        String grid = StreetFixture.unit(street, "grid", "GRID_WORKER", List.of("NOISE"), 3, StreetFixture.LAT, StreetFixture.LON);
        String other = StreetFixture.unit(street, "zf", "LAW_ENFORCEMENT", List.of("NOISE"), 3, 30.56, 119.98);
        String ticket = StreetFixture.ticket(probe(), street, "NOISE");
        StreetFixture.ticketView(ticket).body("stage", equalTo("DISPATCHED")).body("assignments[0].unitId", equalTo(grid));
        String a = StreetFixture.assignmentOf(ticket, grid);

        // the member's unit's assignments show it, with what the team needs and the masked caller phone only
        TestTokens.as(TestTokens.field(grid + "-m1", grid)).get("/api/field/assignments").then().statusCode(200)
                .body("id", hasItem(a)).body("find { it.id == '" + a + "' }.ticket.address", notNullValue())
                .body("find { it.id == '" + a + "' }.ticket.callerPhoneMasked", equalTo("138****5678"));
        // another unit's member may not act on it; without a token nobody may
        StreetFixture.field(other, a, "acknowledge", null).statusCode(403).contentType(startsWith("application/problem+json"));
        given().post("/api/field/assignments/" + a + "/acknowledge").then().statusCode(401)
                .contentType(startsWith("application/problem+json"));

        StreetFixture.field(grid, a, "acknowledge", null).statusCode(200).body("status", equalTo("ACKNOWLEDGED"))
                .body("ackedBy", equalTo(grid + "-m1"));
        StreetFixture.field(grid, a, "acknowledge", null).statusCode(409);

        // about 1.2 km from the ticket: flagged
        StreetFixture.field(grid, a, "arrive", Map.of("latitude", 30.5553, "longitude", 119.9726)).statusCode(200)
                .body("status", equalTo("ON_SCENE")).body("arrivalFlagged", equalTo(true));
        StreetFixture.ticketView(ticket).body("stage", equalTo("ON_SCENE")).body("onSceneAt", notNullValue());
        StreetFixture.field(grid, a, "resolve", Map.of("outcome", "SOLVED", "note", "已协调，噪音停止")).statusCode(200)
                .body("status", equalTo("DONE")).body("outcome", equalTo("SOLVED"));
        StreetFixture.ticketView(ticket).body("stage", equalTo("RESOLVED"));
        StreetFixture.console(street, "tickets/" + ticket + "/close", null).statusCode(200)
                .body("stage", equalTo("CLOSED")).body("closedBy", equalTo("wk-zhang"));

        JsonNode ack = StreetFixture.event(probe(), ticket, "assignment.acknowledged", 0);
        assertEquals(grid + "-m1", ack.path("actor").asText());
        assertEquals(a, ack.path("assignmentId").asText());
        assertEquals("GRID_WORKER", ack.path("unitType").asText());
        JsonNode arrived = StreetFixture.event(probe(), ticket, "assignment.arrived", 0);
        assertEquals("ON_SCENE", arrived.path("stageEnded").asText());
        assertTrue(arrived.path("flagged").asBoolean());
        assertTrue(arrived.path("distanceMeters").asInt() > 1000, arrived.toString());
        JsonNode resolved = StreetFixture.event(probe(), ticket, "assignment.resolved", 0);
        assertEquals("RESOLVE", resolved.path("stageEnded").asText());
        assertEquals("SOLVED", resolved.path("outcome").asText());
        JsonNode closed = StreetFixture.event(probe(), ticket, "ticket.closed", 0);
        assertFalse(closed.has("stageEnded"), "closing ends no SLA stage");
        assertEquals(street, closed.path("street").asText());
        StreetFixture.allValid(probe(), ticket);
    }

    @Test
    void anAssistingUnitsArrivalEndsNoStageAndANearbyArrivalIsNotFlagged() {
        String street = StreetFixture.street();
        String lead = StreetFixture.unit(street, "lead", "GRID_WORKER", List.of("CONSUMER_DISPUTE"), 3, StreetFixture.LAT, StreetFixture.LON);
        String assist = StreetFixture.unit(street, "assist", "OTHER", List.of("CONSUMER_DISPUTE"), 3, StreetFixture.LAT, StreetFixture.LON);
        String ticket = StreetFixture.ticket(probe(), street, "CONSUMER_DISPUTE");
        StreetFixture.console(street, "tickets/" + ticket + "/dispatch", Map.of("units", List.of(
                Map.of("unitId", lead, "role", "LEAD"), Map.of("unitId", assist, "role", "ASSIST")))).statusCode(200);
        String as = StreetFixture.assignmentOf(ticket, assist);
        StreetFixture.field(assist, as, "acknowledge", null).statusCode(200);
        StreetFixture.field(assist, as, "arrive", Map.of("latitude", 30.5455, "longitude", 119.9679)).statusCode(200)
                .body("arrivalFlagged", equalTo(false));
        JsonNode arrived = StreetFixture.event(probe(), ticket, "assignment.arrived", 0);
        assertFalse(arrived.has("stageEnded"), "only the lead's arrival ends ON_SCENE");
        assertEquals("ASSIST", arrived.path("role").asText());
        StreetFixture.ticketView(ticket).body("stage", equalTo("DISPATCHED"));
    }

    @Test
    void aReturnIsRejectedThenAcceptedAndTooManyReturnsArePingPong() {
        String street = StreetFixture.street();
        String first = StreetFixture.unit(street, "a", "GRID_WORKER", List.of("NOISE"), 3, StreetFixture.LAT, StreetFixture.LON);
        String second = StreetFixture.unit(street, "b", "MEDIATION", List.of("NOISE"), 3, 30.56, 119.98);
        String ticket = StreetFixture.ticket(probe(), street, "NOISE");
        String a = StreetFixture.assignmentOf(ticket, first);

        StreetFixture.field(first, a, "return", Map.of("reasonCode", "NOT_OUR_RESPONSIBILITY", "note", "非本单位职责"))
                .statusCode(200).body("status", equalTo("RETURNED"));
        StreetFixture.ticketView(ticket).body("stage", equalTo("NEW")).body("returnCount", equalTo(1));
        // the return waits for the dispatcher: rejected, the order is back with the unit
        StreetFixture.console(street, "assignments/" + a + "/return/reject", Map.of("note", "属本单位"))
                .statusCode(200).body("stage", equalTo("DISPATCHED"))
                .body("assignments.find { it.id == '" + a + "' }.status", equalTo("ACKNOWLEDGED"));
        StreetFixture.console(street, "assignments/" + a + "/return/reject", null).statusCode(409);

        StreetFixture.field(first, a, "return", Map.of("reasonCode", "NOT_OUR_RESPONSIBILITY")).statusCode(200);
        // accepted: re-dispatched to the next recommendation, which is not the unit that returned it
        StreetFixture.console(street, "assignments/" + a + "/return/accept", null).statusCode(200)
                .body("stage", equalTo("DISPATCHED"))
                .body("assignments.find { it.status == 'OFFERED' }.unitId", equalTo(second))
                .body("assignments.find { it.status == 'OFFERED' }.reason", equalTo("REDISPATCH"));
        String b = StreetFixture.assignmentOf(ticket, second);
        StreetFixture.field(second, b, "return", Map.of("reasonCode", "WRONG_ADDRESS")).statusCode(200);

        JsonNode pingPong = StreetFixture.event(probe(), ticket, "ticket.ping-pong", 0);
        assertEquals(3, pingPong.path("returnCount").asInt());
        assertEquals(2, pingPong.path("threshold").asInt());
        assertEquals(street, pingPong.path("street").asText());
        StreetFixture.event(probe(), ticket, "return.rejected", 0);
        JsonNode accepted = StreetFixture.event(probe(), ticket, "return.accepted", 0);
        assertEquals("NOT_OUR_RESPONSIBILITY", accepted.path("reasonCode").asText());
        JsonNode redispatched = StreetFixture.event(probe(), ticket, "assignment.created", 1);
        assertEquals("REDISPATCH", redispatched.path("reason").asText());
        assertEquals(second, redispatched.path("unitId").asText());
        StreetFixture.event(probe(), ticket, "assignment.returned", 2);
        StreetFixture.allValid(probe(), ticket);
    }

    @Test
    void anExtensionIsRequestedApprovedOrDeniedAndTheRecordKeepsThatItMoved() {
        String street = StreetFixture.street();
        String unit = StreetFixture.unit(street, "a", "GRID_WORKER", List.of("NOISE"), 3, StreetFixture.LAT, StreetFixture.LON);
        String ticket = StreetFixture.ticket(probe(), street, "NOISE");
        String a = StreetFixture.assignmentOf(ticket, unit);
        StreetFixture.field(unit, a, "acknowledge", null).statusCode(200);
        Instant proposed = Instant.now().plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

        StreetFixture.field(unit, a, "extensions", Map.of("reason", "需协调物业", "proposedDeadline",
                Instant.now().minusSeconds(60).toString())).statusCode(400).body("errors[0].field", equalTo("proposedDeadline"));
        String ext = StreetFixture.field(unit, a, "extensions", Map.of("reason", "需协调物业", "proposedDeadline",
                proposed.toString())).statusCode(200).body("status", equalTo("PENDING")).body("stage", equalTo("RESOLVE"))
                .extract().path("extensionId");
        StreetFixture.field(unit, a, "extensions", Map.of("reason", "again", "proposedDeadline", proposed.toString()))
                .statusCode(409);
        String supervisor = TestTokens.supervisor("wk-li", street);
        StreetFixture.consoleAs(supervisor, "extensions/" + ext + "/approve", null).statusCode(200)
                .body("extensions[0].status", equalTo("APPROVED"))
                .body("extensions[0].approvedDeadline", equalTo(proposed.toString()))
                .body("extensions[0].decidedBy", equalTo("wk-li"));
        StreetFixture.consoleAs(supervisor, "extensions/" + ext + "/deny", null).statusCode(409);

        JsonNode approved = StreetFixture.event(probe(), ticket, "extension.approved", 0);
        assertEquals("RESOLVE", approved.path("stage").asText());
        assertEquals(proposed, Instant.parse(approved.path("newDeadline").asText()));
        assertEquals("wk-li", approved.path("approvedBy").asText());
        assertEquals("需协调物业", approved.path("reason").asText());
        StreetFixture.event(probe(), ticket, "extension.requested", 0);

        String second = StreetFixture.field(unit, a, "extensions", Map.of("stage", "RESOLVE", "reason", "再延", "proposedDeadline",
                proposed.plusSeconds(3600).toString())).statusCode(200).extract().path("extensionId");
        StreetFixture.consoleAs(supervisor, "extensions/" + second + "/deny", Map.of("note", "今日办结"))
                .statusCode(200).body("extensions", hasSize(2)).body("extensions[1].status", equalTo("DENIED"));
        JsonNode denied = StreetFixture.event(probe(), ticket, "extension.denied", 0);
        assertEquals("今日办结", denied.path("note").asText());
        StreetFixture.allValid(probe(), ticket);
    }

    @Test
    void illegalTransitionsAreConflictsAndBadInputIsRefusedWithNothingWritten() {
        String street = StreetFixture.street();
        String unit = StreetFixture.unit(street, "a", "GRID_WORKER", List.of("NOISE"), 3, StreetFixture.LAT, StreetFixture.LON);
        String ticket = StreetFixture.ticket(probe(), street, "NOISE");
        String a = StreetFixture.assignmentOf(ticket, unit);

        StreetFixture.field(unit, a, "arrive", null).statusCode(409).contentType(startsWith("application/problem+json"));
        StreetFixture.field(unit, a, "resolve", Map.of("outcome", "SOLVED", "note", "x")).statusCode(409);
        StreetFixture.console(street, "tickets/" + ticket + "/close", null).statusCode(409);
        StreetFixture.field(unit, a, "acknowledge", null).statusCode(200);
        StreetFixture.field(unit, a, "resolve", Map.of("note", "x")).statusCode(400).body("errors[0].field", equalTo("outcome"));
        StreetFixture.field(unit, a, "resolve", Map.of("outcome", "DONE_DEAL", "note", "x")).statusCode(400)
                .body("errors[0].field", equalTo("outcome"));
        StreetFixture.field(unit, a, "arrive", Map.of("latitude", 30.5)).statusCode(400).body("errors[0].field", equalTo("longitude"));
        StreetFixture.field(unit, a, "arrive", Map.of("latitude", 130.5, "longitude", 119.9)).statusCode(400)
                .body("errors[0].field", equalTo("latitude"));
        StreetFixture.field(unit, a, "return", Map.of("reasonCode", "BORED")).statusCode(400);
        // a misspelt field is refused, not silently dropped
        StreetFixture.field(unit, a, "resolve", Map.of("outcome", "SOLVED", "note", "x", "notes", "y")).statusCode(400)
                .body("errors[0].field", equalTo("notes")).body("errors[0].reason", equalTo("unknown field"));
        // malformed JSON is named as such, with the reason; no body at all names the request
        StreetFixture.field(unit, a, "resolve", "{\"outcome\":\"SOLVED\",").statusCode(400)
                .contentType(startsWith("application/problem+json")).body("title", equalTo("Invalid request body"))
                .body("detail", startsWith("malformed JSON: "));
        StreetFixture.field(unit, a, "extensions", "{\"reason\":").statusCode(400)
                .body("title", equalTo("Invalid request body"));
        TestTokens.as(TestTokens.field(unit + "-m1", unit)).contentType(ContentType.JSON)
                .post("/api/field/assignments/" + a + "/return").then().statusCode(400)
                .body("title", equalTo("Invalid request")).body("errors[0].field", equalTo("request"));
        // none of the refusals changed anything
        StreetFixture.ticketView(ticket).body("assignments[0].status", equalTo("ACKNOWLEDGED"))
                .body("assignments[0].arrivedAt", equalTo(null)).body("returnCount", equalTo(0));
        StreetFixture.field(unit, java.util.UUID.randomUUID().toString(), "acknowledge", null).statusCode(404);
    }

    @Test
    void aCancelledTicketWithdrawsItsAssignmentsFreesCapacityAndRefusesLaterTransitions() {
        String street = StreetFixture.street();
        String unit = StreetFixture.unit(street, "a", "GRID_WORKER", List.of("NOISE"), 1, StreetFixture.LAT, StreetFixture.LON);
        String ticket = StreetFixture.ticket(probe(), street, "NOISE");
        String a = StreetFixture.assignmentOf(ticket, unit);
        StreetFixture.field(unit, a, "acknowledge", null).statusCode(200);
        // capacity 1 and busy: the unit is not recommended for another ticket
        String next = StreetFixture.ticket(probe(), street, "NOISE");
        StreetFixture.asDispatcher(street).get("/api/dispatch/tickets/" + next + "/recommendations").then().statusCode(200).body("$", hasSize(0));

        String cancelled = org.hotline.backbone.testing.EventSchemas.example("ticket.cancelled.json")
                .replace(TicketDispatchTest.EXAMPLE_TICKET, ticket)
                .replace("6c0b1a2f-3d4e-4f5a-8b6c-7d8e9f0a1b2c", java.util.UUID.randomUUID().toString());
        probe().send("ticket-events", ticket, cancelled);
        await().atMost(StreetFixture.WAIT).untilAsserted(() -> StreetFixture.ticketView(ticket).body("stage", equalTo("CANCELLED"))
                .body("assignments[0].status", equalTo("WITHDRAWN")).body("cancelledAt", notNullValue()));

        StreetFixture.field(unit, a, "arrive", null).statusCode(409);
        StreetFixture.console(street, "tickets/" + ticket + "/redispatch", null).statusCode(409);
        StreetFixture.console(street, "tickets/" + ticket + "/take", null).statusCode(409);
        JsonNode withdrawn = StreetFixture.event(probe(), ticket, "assignment.withdrawn", 0);
        assertEquals("CANCELLED", withdrawn.path("reason").asText());
        StreetFixture.asDispatcher(street).get("/api/dispatch/tickets/" + next + "/recommendations").then().statusCode(200)
                .body("[0].unitId", equalTo(unit));
    }

    @Test
    void anArrivalWithAJsonNullBodyIsAnArrivalWithoutCoordinates() {
        String street = StreetFixture.street();
        String unit = StreetFixture.unit(street, "a", "GRID_WORKER", List.of("NOISE"), 3, StreetFixture.LAT, StreetFixture.LON);
        String ticket = StreetFixture.ticket(probe(), street, "NOISE");
        String a = StreetFixture.assignmentOf(ticket, unit);
        StreetFixture.field(unit, a, "acknowledge", null).statusCode(200);
        TestTokens.as(TestTokens.field(unit + "-m1", unit)).contentType(io.restassured.http.ContentType.JSON).body("null")
                .post("/api/field/assignments/" + a + "/arrive").then().statusCode(200).body("status", equalTo("ON_SCENE"));
        StreetFixture.ticketView(ticket).body("stage", equalTo("ON_SCENE")).body("onSceneAt", notNullValue());
    }

    @Test
    void aReturnCannotBeRejectedOnceTheUnitIsFullWithAnotherTicket() {
        String street = StreetFixture.street();
        String unit = StreetFixture.unit(street, "a", "GRID_WORKER", List.of("NOISE"), 1, StreetFixture.LAT, StreetFixture.LON);
        String ticket = StreetFixture.ticket(probe(), street, "NOISE");
        String a = StreetFixture.assignmentOf(ticket, unit);
        StreetFixture.field(unit, a, "return", Map.of("reasonCode", "NOT_OUR_RESPONSIBILITY")).statusCode(200);
        // its one slot is free again: the next ticket goes to it
        String next = StreetFixture.ticket(probe(), street, "NOISE");
        await().atMost(StreetFixture.WAIT).untilAsserted(() -> StreetFixture.ticketView(next).body("assignments", hasSize(1)));

        StreetFixture.console(street, "assignments/" + a + "/return/reject", null).statusCode(409)
                .contentType(startsWith("application/problem+json"))
                .body("detail", org.hamcrest.Matchers.containsString("capacity"));
        StreetFixture.ticketView(ticket).body("stage", equalTo("NEW"))
                .body("assignments[0].status", equalTo("RETURNED")).body("assignments[0].returnDecision", equalTo(null));
        assertEquals(0, probe().ofType(ticket, "return.rejected").size());
    }

    @Test
    void aUnitAlreadyWorkingTheTicketCannotBeSentToItAgain() {
        String street = StreetFixture.street();
        String unit = StreetFixture.unit(street, "a", "GRID_WORKER", List.of("NOISE"), 3, StreetFixture.LAT, StreetFixture.LON);
        String ticket = StreetFixture.ticket(probe(), street, "NOISE");
        StreetFixture.assignmentOf(ticket, unit);
        // the lead, sent again as a backup: refused, with room left in its capacity
        StreetFixture.console(street, "tickets/" + ticket + "/dispatch", Map.of("units", List.of(
                Map.of("unitId", unit, "role", "ASSIST")))).statusCode(409)
                .contentType(startsWith("application/problem+json"))
                .body("detail", org.hamcrest.Matchers.containsString("already works ticket"));
        StreetFixture.ticketView(ticket).body("assignments", hasSize(1));
    }

    @Test
    void aNewLeadSettlesTheFormerLeadsPendingReturnSoItCannotWithdrawTheNewLead() {
        String street = StreetFixture.street();
        String first = StreetFixture.unit(street, "a", "GRID_WORKER", List.of("NOISE"), 3, StreetFixture.LAT, StreetFixture.LON);
        String second = StreetFixture.unit(street, "b", "MEDIATION", List.of("NOISE"), 3, 30.56, 119.98);
        String ticket = StreetFixture.ticket(probe(), street, "NOISE");
        String a = StreetFixture.assignmentOf(ticket, first);
        StreetFixture.field(first, a, "return", Map.of("reasonCode", "WRONG_ADDRESS")).statusCode(200);
        // the dispatcher dispatches another lead without deciding the return first
        StreetFixture.console(street, "tickets/" + ticket + "/dispatch", Map.of("units", List.of(
                Map.of("unitId", second, "role", "LEAD")))).statusCode(200);
        StreetFixture.ticketView(ticket).body("assignments.find { it.id == '" + a + "' }.returnDecision", equalTo("ACCEPTED"));
        JsonNode accepted = StreetFixture.event(probe(), ticket, "return.accepted", 0);
        assertEquals(a, accepted.path("assignmentId").asText());
        // the stale return can no longer be decided: accepting it does not withdraw the new lead
        StreetFixture.console(street, "assignments/" + a + "/return/accept", null).statusCode(409);
        StreetFixture.console(street, "assignments/" + a + "/return/reject", null).statusCode(409);
        StreetFixture.ticketView(ticket).body("stage", equalTo("DISPATCHED"))
                .body("assignments.find { it.unitId == '" + second + "' }.status", equalTo("OFFERED"))
                .body("assignments.find { it.unitId == '" + second + "' }.role", equalTo("LEAD"));
        assertEquals(0, probe().ofType(ticket, "assignment.withdrawn").size());
    }

    /** PostgreSQL cannot store U+0000: a NUL in a note or reason is a 400 naming the field, not a 500. */
    @Test
    void aNulCharacterInFreeTextIsRefusedNamingTheField() {
        String street = StreetFixture.street();
        String unit = StreetFixture.unit(street, "nul", "GRID_WORKER", List.of("NOISE"), 3, StreetFixture.LAT, StreetFixture.LON);
        String ticket = StreetFixture.ticket(probe(), street, "NOISE");
        String a = StreetFixture.assignmentOf(ticket, unit);
        StreetFixture.field(unit, a, "acknowledge", null).statusCode(200);
        StreetFixture.field(unit, a, "return", Map.of("reasonCode", "WRONG_ADDRESS", "note", "地址\u0000错")).statusCode(400)
                .contentType(startsWith("application/problem+json")).body("errors[0].field", equalTo("note"))
                .body("errors[0].reason", org.hamcrest.Matchers.containsString("U+0000"));
        StreetFixture.field(unit, a, "extensions", Map.of("reason", "需协调\u0000", "proposedDeadline",
                Instant.now().plus(3, ChronoUnit.DAYS).toString())).statusCode(400).body("errors[0].field", equalTo("reason"));
        StreetFixture.field(unit, a, "resolve", Map.of("outcome", "SOLVED", "note", "\u0000")).statusCode(400)
                .body("errors[0].field", equalTo("note"));
        StreetFixture.asDispatcher(street).urlEncodingEnabled(false).get("/api/dispatch/queue?street=" + street + "%00").then()
                .statusCode(400).contentType(startsWith("application/problem+json")).body("errors[0].field", equalTo("street"));
        StreetFixture.ticketView(ticket).body("assignments[0].status", equalTo("ACKNOWLEDGED")).body("returnCount", equalTo(0));
    }
}

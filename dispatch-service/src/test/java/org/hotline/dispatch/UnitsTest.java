package org.hotline.dispatch;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hotline.backbone.security.SignedToken;
import org.hotline.backbone.testing.EventProbe;
import org.hotline.backbone.testing.EventSchemas;
import org.hotline.backbone.testing.InfraResource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(InfraResource.class)
class UnitsTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "hotline.ack-token.secret", defaultValue = "dev-ack-secret-change-me")
    String secret;

    EventProbe probe() {
        return StreetFixture.probe(bootstrap);
    }

    JsonNode lastUnitUpdated(String unitId, int atLeast) {
        await().atMost(StreetFixture.WAIT).until(() -> probe().about(unitId).stream()
                .filter(s -> s.topic().equals("unit-events")).count() >= atLeast);
        List<EventProbe.Seen> seen = probe().about(unitId).stream().filter(s -> s.topic().equals("unit-events")).toList();
        EventProbe.Seen last = seen.get(seen.size() - 1);
        assertEquals(unitId, last.key());
        assertEquals("unit.updated", last.type());
        assertEquals(Set.of(), EventSchemas.violations(last.value()), last.value());
        return last.json().path("data");
    }

    @Test
    void everyDemoUnitIsPublishedAtLoadWithMembersAndARoundTheClockShift() {
        StreetFixture.admin().queryParam("street", "wukang").get("/api/units").then().statusCode(200)
                .body("unitId", hasItem("wk-grid-02")).body("find { it.unitId == 'wk-pcs-north' }.members", hasSize(2));
        JsonNode grid = lastUnitUpdated("wk-grid-03", 1);
        assertEquals("GRID_WORKER", grid.path("type").asText());
        assertEquals("wk-grid-03-m1", grid.path("members").get(0).path("memberId").asText());
        JsonNode allDay = grid.path("shifts").get(0);
        assertEquals(7, allDay.path("days").size());
        assertEquals("00:00", allDay.path("start").asText());
        assertEquals("00:00", allDay.path("end").asText());
        for (String id : List.of("wk-pcs-north", "wk-pcs-south", "wk-zf-1", "wk-zf-2", "wk-dqs-1", "wk-dqs-2", "wk-cg-1",
                "wk-cg-2", "wk-grid-01", "wk-grid-02", "wk-labor", "wk-scjg")) {
            lastUnitUpdated(id, 1);
        }
    }

    @Test
    void creatingAndChangingAUnitItsMembersAndShiftsPublishesItsFullState() {
        String street = StreetFixture.street();
        String id = street + "-zf";
        StreetFixture.admin().contentType(ContentType.JSON).body(Map.of("id", id, "name", "执法中队", "type", "LAW_ENFORCEMENT",
                "street", street, "grids", List.of(), "categories", List.of("NOISE"), "capacity", 2)).post("/api/units")
                .then().statusCode(201).body("status", equalTo("AVAILABLE"));
        StreetFixture.admin().contentType(ContentType.JSON).body(Map.of("id", id, "name", "x", "type", "LAW_ENFORCEMENT",
                "street", street, "grids", List.of(), "categories", List.of("NOISE"), "capacity", 2)).post("/api/units")
                .then().statusCode(409);
        StreetFixture.admin().contentType(ContentType.JSON).body(Map.of("id", id + "2", "name", "x", "type", "FIRE_BRIGADE",
                "street", street, "grids", List.of(), "categories", List.of("NOISE"), "capacity", 2)).post("/api/units")
                .then().statusCode(400).body("errors[0].field", equalTo("type"));
        StreetFixture.admin().contentType(ContentType.JSON).body(Map.of("id", id + "2", "name", "x", "type", "OTHER",
                "street", street, "grids", List.of(), "categories", List.of("NOISE"), "capacity", 0)).post("/api/units")
                .then().statusCode(400).body("errors[0].field", equalTo("capacity"));

        StreetFixture.admin().contentType(ContentType.JSON).body(List.of(
                Map.of("memberId", id + "-boss", "name", "沈国平", "phone", "13857219999", "role", "中队长"),
                Map.of("memberId", id + "-night", "name", "姚伟", "phone", "13857218888"))).put("/api/units/" + id + "/members")
                .then().statusCode(200).body("members", hasSize(2));
        StreetFixture.admin().contentType(ContentType.JSON).body(List.of(Map.of("memberId", id + "-night", "days", List.of("MON"),
                "start", "25:00", "end", "08:00"))).put("/api/units/" + id + "/shifts").then().statusCode(400)
                .body("errors[0].field", equalTo("[0].start"));
        StreetFixture.admin().contentType(ContentType.JSON).body(List.of(Map.of("memberId", "stranger", "days", List.of("MON"),
                "start", "20:00", "end", "08:00"))).put("/api/units/" + id + "/shifts").then().statusCode(400)
                .body("errors[0].field", equalTo("[0].memberId"));
        StreetFixture.admin().contentType(ContentType.JSON).body(List.of(Map.of("memberId", id + "-night", "days",
                List.of("MON", "TUE", "WED"), "start", "20:00", "end", "08:00"))).put("/api/units/" + id + "/shifts")
                .then().statusCode(200).body("shifts[0].end", equalTo("08:00"));
        StreetFixture.admin().contentType(ContentType.JSON).body(Map.of("status", "OFF_DUTY")).post("/api/units/" + id + "/status")
                .then().statusCode(200).body("status", equalTo("OFF_DUTY"));

        JsonNode last = lastUnitUpdated(id, 4);
        assertEquals("OFF_DUTY", last.path("status").asText());
        assertEquals(2, last.path("members").size());
        assertEquals("20:00", last.path("shifts").get(0).path("start").asText());
        assertEquals(4, probe().about(id).stream().filter(s -> s.topic().equals("unit-events")).count(),
                "refused changes published nothing");

        // a removed member's shifts go with it
        StreetFixture.admin().contentType(ContentType.JSON).body(List.of(Map.of("memberId", id + "-boss", "name", "沈国平", "phone",
                "13857219999"))).put("/api/units/" + id + "/members").then().statusCode(200).body("shifts", hasSize(0));
        assertEquals(0, lastUnitUpdated(id, 5).path("shifts").size());
    }

    /** Every body is read one way (backbone's RequestBodies): the answer names the reason or the field, and nothing changes. */
    @Test
    void aBadBodyIsRefusedNamingTheReasonOrTheFieldAndChangesNothing() {
        String street = StreetFixture.street();
        String id = StreetFixture.unit(street, "bad", "OTHER", List.of("NOISE"), 2, StreetFixture.LAT, StreetFixture.LON);
        String unit = "{\"id\":\"" + street + "-new\",\"name\":\"x\",\"type\":\"OTHER\",\"street\":\"" + street
                + "\",\"grids\":[],\"categories\":[\"NOISE\"],\"capacity\":1}";

        StreetFixture.admin().contentType(ContentType.JSON).body("{\"id\":").post("/api/units").then().statusCode(400)
                .contentType(startsWith("application/problem+json")).body("title", equalTo("Invalid request body"))
                .body("detail", startsWith("malformed JSON: "));
        StreetFixture.admin().contentType(ContentType.JSON).body(unit.replace("}", ",\"colour\":\"red\"}"))
                .post("/api/units").then().statusCode(400).body("title", equalTo("Invalid request body"))
                .body("errors[0].field", equalTo("colour")).body("errors[0].reason", equalTo("unknown field"));
        StreetFixture.admin().contentType(ContentType.JSON).post("/api/units").then().statusCode(400)
                .body("title", equalTo("Invalid request")).body("errors[0].field", equalTo("request"));
        StreetFixture.admin().get("/api/units/" + street + "-new").then().statusCode(404);

        // a list body: the failing element's field is named by its index; a null element is refused
        String member = "{\"memberId\":\"" + id + "-m2\",\"name\":\"李四\",\"phone\":\"13900000002\"}";
        StreetFixture.admin().contentType(ContentType.JSON).body("[" + member + "," + member.replace("13900000002", "call me")
                .replace("-m2", "-m3") + "]").put("/api/units/" + id + "/members").then().statusCode(400)
                .contentType(startsWith("application/problem+json")).body("title", equalTo("Invalid request"))
                .body("errors.field", equalTo(List.of("[1].phone")));
        StreetFixture.admin().contentType(ContentType.JSON).body("[" + member + ",null]").put("/api/units/" + id + "/members")
                .then().statusCode(400).body("errors[0].field", equalTo("[1]"))
                .body("errors[0].reason", equalTo("must not be null"));
        StreetFixture.admin().contentType(ContentType.JSON).body("[" + member + ",").put("/api/units/" + id + "/members")
                .then().statusCode(400).body("title", equalTo("Invalid request body"))
                .body("detail", startsWith("malformed JSON: "));
        StreetFixture.admin().contentType(ContentType.JSON).body("[{\"memberId\":\"" + id + "-m1\",\"days\":[\"MON\"],"
                + "\"start\":\"08:00\",\"end\":\"17:00\",\"shift\":\"day\"}]").put("/api/units/" + id + "/shifts").then()
                .statusCode(400).body("errors[0].field", equalTo("shift"))
                .body("errors[0].reason", equalTo("unknown field"));
        StreetFixture.admin().get("/api/units/" + id).then().statusCode(200).body("members.memberId", equalTo(List.of(id + "-m1")))
                .body("shifts[0].start", equalTo("00:00"));
    }

    /** Bodies are read as text, yet the OpenAPI document still shows each one's schema, a list as an array of records. */
    @Test
    void theOpenApiDocumentShowsTheBodiesSchemas() throws Exception {
        JsonNode paths = new com.fasterxml.jackson.databind.ObjectMapper().readTree(given().queryParam("format", "json")
                .get("/q/openapi").then().statusCode(200).extract().asString()).path("paths");
        JsonNode members = paths.path("/api/units/{id}/members").path("put").path("requestBody").path("content")
                .path("application/json").path("schema");
        assertEquals("array", members.path("type").asText(), members.toString());
        assertTrue(members.path("items").path("$ref").asText().endsWith("/MemberBody"), members.toString());
        JsonNode create = paths.path("/api/units").path("post").path("requestBody").path("content").path("application/json")
                .path("schema");
        assertTrue(create.path("$ref").asText().endsWith("/UnitBody"), create.toString());
        JsonNode resolve = paths.path("/api/field/assignments/{id}/resolve").path("post").path("requestBody")
                .path("content").path("application/json").path("schema");
        assertTrue(resolve.path("$ref").asText().endsWith("/ResolveRequest"), resolve.toString());
    }

    @Test
    void aSignedLinkShowsAConfirmPageAndAcknowledgesOnlyOnPost() {
        String street = StreetFixture.street();
        String unit = StreetFixture.unit(street, "a", "GRID_WORKER", List.of("NOISE"), 3, StreetFixture.LAT, StreetFixture.LON);
        String ticket = StreetFixture.ticket(probe(), street, "NOISE");
        String a = StreetFixture.assignmentOf(ticket, unit);
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        String token = SignedToken.sign(key, Map.of("assignment", a, "member", unit + "-m1"),
                Instant.now().plusSeconds(600));

        given().get("/api/field/ack/" + token).then().statusCode(200).contentType(startsWith("text/html"))
                .body(containsString("<form method=\"post\">"));
        StreetFixture.ticketView(ticket).body("assignments[0].status", equalTo("OFFERED"));
        given().post("/api/field/ack/" + token).then().statusCode(200).body("status", equalTo("ACKNOWLEDGED"))
                .body("ackedBy", equalTo(unit + "-m1"));
        given().post("/api/field/ack/" + token).then().statusCode(409);

        String expired = SignedToken.sign(key, Map.of("assignment", a, "member", unit + "-m1"),
                Instant.now().minusSeconds(1));
        given().post("/api/field/ack/" + expired).then().statusCode(401).contentType(startsWith("application/problem+json"))
                .body("detail", containsString("expired"));
        String forged = SignedToken.sign("other-secret".getBytes(StandardCharsets.UTF_8),
                Map.of("assignment", a, "member", unit + "-m1"), Instant.now().plusSeconds(600));
        given().post("/api/field/ack/" + forged).then().statusCode(401);
        given().get("/api/field/ack/" + forged).then().statusCode(401);
        StreetFixture.event(probe(), ticket, "assignment.acknowledged", 0);
        assertTrue(probe().ofType(ticket, "assignment.acknowledged").size() == 1);
    }

    @Test
    void theCommandRoomsNumbersAreExported() {
        String street = StreetFixture.street();
        String unit = StreetFixture.unit(street, "a", "GRID_WORKER", List.of("NOISE", "CONSUMER_DISPUTE"), 3, StreetFixture.LAT, StreetFixture.LON);
        String ticket = StreetFixture.ticket(probe(), street, "NOISE");
        StreetFixture.field(unit, StreetFixture.assignmentOf(ticket, unit), "return", Map.of("reasonCode", "DUPLICATE")).statusCode(200);
        // a dispatcher's choice of the top recommendation counts as accepted
        String manual = StreetFixture.ticket(probe(), street, "CONSUMER_DISPUTE");
        StreetFixture.console(street, "tickets/" + manual + "/dispatch", Map.of("units",
                List.of(Map.of("unitId", unit, "role", "LEAD")))).statusCode(200);
        await().atMost(StreetFixture.WAIT).untilAsserted(() -> given().get("/q/metrics").then().statusCode(200)
                .body(matchesPattern("(?s).*hotline_dispatch_assignments_total\\{[^}]*category=\"NOISE\"[^}]*unitType=\"GRID_WORKER\".*"))
                .body(matchesPattern("(?s).*hotline_dispatch_returns_total\\{[^}]*reason=\"DUPLICATE\".*"))
                .body(matchesPattern("(?s).*hotline_dispatch_recommendations_total\\{[^}]*outcome=\"accepted\".*"))
                .body(matchesPattern("(?s).*hotline_dispatch_assignments_open\\{[^}]*unit=\"wk-grid-02\".*")));
    }
}

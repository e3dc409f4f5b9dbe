package org.hotline.sla;

import static org.hotline.sla.Api.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hotline.backbone.testing.EventProbe;
import org.hotline.backbone.testing.InfraResource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(InfraResource.class)
class PolicyTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    EventProbe probe() {
        return EventProbe.shared(bootstrap, "sla-events");
    }

    /** Sends ticket.received with the given data and returns the armed clocks' deadlines by stage. */
    Map<String, Instant> arm(Map<String, Object> data) {
        String ticket = UUID.randomUUID().toString();
        probe().send("ticket-events", ticket, Events.example("ticket.received", ticket, data));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/sla/tickets/" + ticket + "/clocks")
                .then().statusCode(200));
        List<Map<String, Object>> clocks = given().get("/api/sla/tickets/" + ticket + "/clocks").then().extract()
                .path("");
        Map<String, Instant> out = new java.util.LinkedHashMap<>();
        clocks.forEach(c -> out.put(c.get("stage") + "@" + c.get("policy") + "v" + c.get("policyVersion"),
                c.get("deadline") == null ? null : Instant.parse((String) c.get("deadline"))));
        return out;
    }

    @Test
    void theSeededPoliciesAreListed() {
        given().get("/api/sla/policies").then().statusCode(200)
                .body("code", hasItems("13830", "1310", "DAYS-SIMPLE", "DAYS-GENERAL", "DAYS-COMPLEX", "WAGE-ARREARS"));
        given().get("/api/sla/policies/13830").then().statusCode(200)
                .body("definition.stages[0].duration", equalTo("PT1M"))
                .body("definition.stages[0].ladder[1].recipient", equalTo("STREET_LEADER"));
    }

    @Test
    void wageArrearsGetTheirOwnPolicy() {
        Instant reported = Instant.parse("2026-11-23T01:00:00Z");
        Map<String, Instant> clocks = arm(Map.of("category", "WAGE_ARREARS", "complexity", "GENERAL",
                "reportedAt", reported, "receivedAt", reported));
        // 24 h and 72 h
        assertEquals(Map.of("RESPOND@WAGE-ARREARSv2", reported.plus(Duration.ofHours(24)),
                "RESOLVE@WAGE-ARREARSv2", reported.plus(Duration.ofHours(72))), clocks);
    }

    @Test
    void aGeneralRequestIsDueSevenWorkingDaysLaterOnChinasCalendar() {
        // Friday 13 Feb 2026, 10:00 in Shanghai, the eve of the Spring Festival holiday; the
        // make-up Saturday 28 Feb counts, the nine holidays do not: due Monday 2 March, 10:00
        Instant reported = Instant.parse("2026-02-13T02:00:00Z");
        Map<String, Instant> clocks = arm(Map.of("complexity", "GENERAL", "reportedAt", reported,
                "receivedAt", reported));
        assertEquals(Instant.parse("2026-03-02T02:00:00Z"), clocks.get("RESOLVE@DAYS-GENERALv2"));
    }

    @Test
    void editingAPolicyAddsAVersionAndTicketsAlreadyRunningKeepTheirs() {
        String policy = """
                {"name":{"zh":"测试","en":"test"},"stages":[
                  {"stage":"RESPOND","anchor":"RECEIPT","duration":"PT%dM","ladder":[{"level":1,"recipient":"COMMAND_ROOM_SUPERVISOR","after":"PT0S"}]},
                  {"stage":"ON_SCENE","anchor":"PREVIOUS_STAGE","duration":"PT10M"}]}""";
        given().contentType(ContentType.JSON).body(policy.formatted(10)).put("/api/sla/policies/TEST-EDIT")
                .then().statusCode(201).body("version", equalTo(1));
        List<Map<String, Object>> rules = new ArrayList<>(given().get("/api/sla/policy-rules").then().extract().path(""));
        rules.add(0, Map.of("ordinal", 1, "street", "policy-test", "policyCode", "TEST-EDIT"));
        given().contentType(ContentType.JSON).body(rules).put("/api/sla/policy-rules").then().statusCode(200)
                .body("policyCode", hasItem("TEST-EDIT"));

        Instant reported = Instant.now().plusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Map<String, Object> ticket = Map.of("street", "policy-test", "reportedAt", reported, "receivedAt", reported);
        Map<String, Instant> before = arm(ticket);
        given().contentType(ContentType.JSON).body(policy.formatted(20)).put("/api/sla/policies/TEST-EDIT")
                .then().statusCode(201).body("version", equalTo(2));
        Map<String, Instant> after = arm(ticket);

        assertEquals(reported.plus(Duration.ofMinutes(10)), before.get("RESPOND@TEST-EDITv1"));
        assertEquals(reported.plus(Duration.ofMinutes(20)), after.get("RESPOND@TEST-EDITv2"));
        given().get("/api/sla/policies/TEST-EDIT/versions").then().body("version", equalTo(List.of(1, 2)));
        // the chained stage waits for the previous one: no deadline yet
        assertEquals(null, after.get("ON_SCENE@TEST-EDITv2"));
    }

    @Test
    void anInvalidPolicyOrRuleSetIsRefusedNamingTheField() {
        given().contentType(ContentType.JSON).body("""
                {"stages":[{"stage":"RESPOND","anchor":"RECEIPT","duration":"PT1M","warnAt":1.5}]}""")
                .put("/api/sla/policies/BAD").then().statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("errors.field", hasItem("stages[0].warnAt"));
        given().contentType(ContentType.JSON).body("""
                {"stages":[{"stage":"RESPOND","anchor":"RECEIPT","duration":"PT1M","workingDays":3}]}""")
                .put("/api/sla/policies/BAD").then().statusCode(400).body("errors.field", hasItem("stages[0]"));
        // a null stage or ladder level is named, not a server error
        given().contentType(ContentType.JSON).body("""
                {"stages":[{"stage":"RESPOND","anchor":"RECEIPT","duration":"PT1M"},null]}""")
                .put("/api/sla/policies/BAD").then().statusCode(400).body("errors.field", hasItem("stages[1]"));
        given().contentType(ContentType.JSON).body("""
                {"stages":[{"stage":"RESPOND","anchor":"RECEIPT","duration":"PT1M","ladder":[null]}]}""")
                .put("/api/sla/policies/BAD").then().statusCode(400).body("errors.field", hasItem("stages[0].ladder[0]"));
        given().get("/api/sla/policies/BAD").then().statusCode(404);
        given().contentType(ContentType.JSON).body(List.of(Map.of("ordinal", 1, "category", "NOISE", "policyCode", "13830")))
                .put("/api/sla/policy-rules").then().statusCode(400).body("errors.field", hasItem("rules"));
    }

    /** Every body is read one way (backbone's RequestBodies): the answer names the reason or the field, and nothing changes. */
    @Test
    void aBadBodyIsRefusedNamingTheReasonOrTheField() {
        String stage = "{\"stage\":\"RESPOND\",\"anchor\":\"RECEIPT\",\"duration\":\"PT1M\"}";
        given().contentType(ContentType.JSON).body("{\"stages\":[" + stage).put("/api/sla/policies/BAD-BODY").then()
                .statusCode(400).contentType(startsWith("application/problem+json"))
                .body("title", equalTo("Invalid request body")).body("detail", startsWith("malformed JSON: "));
        given().contentType(ContentType.JSON).body("{\"stages\":[" + stage + "],\"colour\":\"red\"}")
                .put("/api/sla/policies/BAD-BODY").then().statusCode(400).body("errors[0].field", equalTo("colour"))
                .body("errors[0].reason", equalTo("unknown field"));
        given().contentType(ContentType.JSON).put("/api/sla/policies/BAD-BODY").then().statusCode(400)
                .body("title", equalTo("Invalid request")).body("errors[0].field", equalTo("request"));
        given().get("/api/sla/policies/BAD-BODY").then().statusCode(404);

        String rule = "{\"ordinal\":1,\"policyCode\":\"13830\"}";
        given().contentType(ContentType.JSON).body("[" + rule + ",{\"ordinal\":\"second\",\"policyCode\":\"13830\"}]")
                .put("/api/sla/policy-rules").then().statusCode(400).body("title", equalTo("Invalid request body"))
                .body("errors[0].field", equalTo("[1].ordinal"));
        given().contentType(ContentType.JSON).body("[" + rule + ",null]").put("/api/sla/policy-rules").then()
                .statusCode(400).contentType(startsWith("application/problem+json"))
                .body("errors[0].field", equalTo("[1]")).body("errors[0].reason", equalTo("must not be null"));
        given().contentType(ContentType.JSON).body("[" + rule).put("/api/sla/policy-rules").then().statusCode(400)
                .body("title", equalTo("Invalid request body")).body("detail", startsWith("malformed JSON: "));
        given().get("/api/sla/policy-rules").then().statusCode(200).body("size()", org.hamcrest.Matchers.greaterThan(1));

        given().contentType(ContentType.JSON).body("{\"kind\":\"HOLIDAY\"").put("/api/sla/calendar/2027-01-04").then()
                .statusCode(400).body("title", equalTo("Invalid request body"));
        given().contentType(ContentType.JSON).body(Map.of()).put("/api/sla/calendar/2027-01-04").then().statusCode(400)
                .body("title", equalTo("Invalid request")).body("errors[0].field", equalTo("kind"));
    }

    @Test
    void theCalendarIsData() {
        given().get("/api/sla/calendar?year=2026").then().statusCode(200)
                .body("find { it.day == '2026-02-14' }.kind", equalTo("WORKDAY"))
                .body("find { it.day == '2026-10-01' }.kind", equalTo("HOLIDAY"));
        given().contentType(ContentType.JSON).body(Map.of("kind", "HOLIDAY", "name", "元旦"))
                .put("/api/sla/calendar/2027-01-01").then().statusCode(200);
        given().get("/api/sla/calendar?year=2027").then().body("day", hasItem("2027-01-01"));
        given().delete("/api/sla/calendar/2027-01-01").then().statusCode(204);
        given().contentType(ContentType.JSON).body(Map.of("kind", "SOMETIMES"))
                .put("/api/sla/calendar/2027-01-02").then().statusCode(400);
        // PostgreSQL cannot store U+0000: refused naming the field, not a 500
        given().contentType(ContentType.JSON).body(Map.of("kind", "HOLIDAY", "name", "元\u0000旦"))
                .put("/api/sla/calendar/2027-01-03").then().statusCode(400)
                .contentType(org.hamcrest.Matchers.startsWith("application/problem+json"))
                .body("errors[0].field", equalTo("name"));
        given().get("/api/sla/calendar?year=2027").then().body("day", org.hamcrest.Matchers.not(hasItem("2027-01-03")));
    }
}

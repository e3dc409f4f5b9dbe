package org.hotline.intake;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.hotline.backbone.security.Roles;
import org.hotline.backbone.testing.EndpointSecurity;
import org.hotline.backbone.testing.InfraResource;
import org.hotline.backbone.testing.TestTokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.smallrye.jwt.auth.principal.JWTParser;
import jakarta.inject.Inject;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Who may do what at intake (issue #7): the role of every endpoint, the street/area scope of
 * dispatchers and supervisors, masking of the caller's name and phone, and the audit trail.
 */
@QuarkusTest
@WithTestResource(InfraResource.class)
class SecurityTest {

    @Inject
    JWTParser tokens;

    /**
     * The parser bearer-token authentication calls verifies a token once, not on every request
     * (backbone's VerifiedTokens: the RSA check was intake's largest single cost); a forged or
     * expired token is still refused after a good one was accepted (everyEndpointRefusesTheRolesItMust).
     */
    @Test
    void aCallersTokenIsVerifiedOnceNotOnEveryRequest() throws Exception {
        String token = TestTokens.operator("op-" + UUID.randomUUID());
        assertSame(tokens.parse(token), tokens.parse(token));
        TestTokens.as(token).get("/api/tickets/" + UUID.randomUUID()).then().statusCode(404);
        TestTokens.as(TestTokens.forged("op-x", List.of(Roles.OPERATOR))).get("/api/tickets/" + UUID.randomUUID())
                .then().statusCode(401);
    }

    private static final Set<String> READERS = Set.of(Roles.OPERATOR, Roles.DISPATCHER, Roles.SUPERVISOR);
    private static final Set<String> OPERATOR = Set.of(Roles.OPERATOR);
    private static final Set<String> OPERATOR_OR_SUPERVISOR = Set.of(Roles.OPERATOR, Roles.SUPERVISOR);

    @Test
    void everyEndpointRefusesTheRolesItMust() {
        EndpointSecurity.verify(Map.ofEntries(
                Map.entry("POST /api/tickets", OPERATOR),
                Map.entry("GET /api/tickets", READERS),
                Map.entry("GET /api/tickets/{id}", READERS),
                Map.entry("POST /api/tickets/{id}/cancel", OPERATOR_OR_SUPERVISOR),
                Map.entry("POST /api/tickets/{id}/follow-up", OPERATOR),
                Map.entry("POST /api/tickets/{id}/repeats/{repeatId}/override", OPERATOR_OR_SUPERVISOR),
                Map.entry("GET /api/categories", EndpointSecurity.ANY_ROLE),
                Map.entry("GET /api/categories/{code}", EndpointSecurity.ANY_ROLE),
                Map.entry("GET /api/streets", EndpointSecurity.ANY_ROLE),
                Map.entry("GET /api/audit", Set.of(Roles.ADMIN, Roles.SUPERVISOR))));
    }


    /** Two tickets in a street of their own, one in another; the first has a repeat and a follow-up with the phone. */
    record Streets(String a, String b, String phone, String ticketA, String otherA, String ticketB) {
        static Streets create() {
            String a = "sec-a-" + UUID.randomUUID();
            String b = "sec-b-" + UUID.randomUUID();
            String phone = TestData.phone();
            double[] p = TestData.place();
            String ticketA = TestData.post(TestData.inStreet(TestData.report(phone, p[0], p[1], "NOISE"), a)
                    .replace("楼上深夜装修噪音", "楼上深夜装修噪音，回电 " + phone)).statusCode(201).extract().path("id");
            double[] q = TestData.place();
            TestData.post(TestData.inStreet(TestData.report(phone, q[0], q[1], "SANITATION"), a))
                    .statusCode(200).body("repeatOf", equalTo(ticketA));
            Api.given().contentType(ContentType.JSON).body("{\"reached\":true,\"satisfaction\":\"SATISFIED\",\"comment\":\"已回拨 " + phone + "\"}")
                    .post("/api/tickets/" + ticketA + "/follow-up").then().statusCode(200);
            double[] r = TestData.place();
            String otherA = TestData.post(TestData.inStreet(TestData.report(TestData.phone(), r[0], r[1], "NOISE"), a))
                    .statusCode(201).extract().path("id");
            double[] s = TestData.place();
            String ticketB = TestData.post(TestData.inStreet(TestData.report(TestData.phone(), s[0], s[1], "NOISE"), b))
                    .statusCode(201).extract().path("id");
            return new Streets(a, b, phone, ticketA, otherA, ticketB);
        }

        String masked() {
            return phone.substring(0, 3) + "****" + phone.substring(7);
        }
    }

    @Test
    void aDispatcherReadsHisOwnStreetOnlyWithTheCallerInFull() {
        Streets s = Streets.create();
        String dispatcher = TestTokens.dispatcher("d-" + s.a(), s.a());

        // no street filter: his street is implied
        TestTokens.as(dispatcher).get("/api/tickets").then().statusCode(200)
                .body("total", equalTo(2)).body("items.id", contains(s.otherA(), s.ticketA()))
                .body("items.street", everyItem(equalTo(s.a())))
                .body("items.callerPhone", hasItem(s.phone()));
        TestTokens.as(dispatcher).queryParam("street", s.a()).get("/api/tickets").then().statusCode(200)
                .body("total", equalTo(2));
        TestTokens.as(dispatcher).queryParam("street", s.b()).get("/api/tickets").then().statusCode(403)
                .contentType(startsWith("application/problem+json"))
                .body("detail", equalTo("street " + s.b() + " is outside your area"));

        TestTokens.as(dispatcher).get("/api/tickets/" + s.ticketA()).then().statusCode(200)
                .body("callerName", equalTo("张三")).body("callerPhone", equalTo(s.phone()))
                .body("description", containsString(s.phone()))
                .body("repeats[0].callerPhone", equalTo(s.phone()))
                .body("followUps[0].comment", containsString(s.phone()));
        // another street's ticket, by id: not at all
        TestTokens.as(TestTokens.dispatcher("d-" + s.b(), s.b())).get("/api/tickets/" + s.ticketA()).then().statusCode(403)
                .contentType(startsWith("application/problem+json"));
        TestTokens.as(dispatcher).get("/api/tickets/" + s.ticketB()).then().statusCode(403);
        // a dispatcher token naming no street covers none
        TestTokens.as(TestTokens.token("d-nostreet", Set.of(Roles.DISPATCHER), Map.of())).get("/api/tickets").then()
                .statusCode(403).contentType(startsWith("application/problem+json"));
        // reads only: cancelling is not a dispatcher's
        TestTokens.as(dispatcher).contentType(ContentType.JSON).body("{\"reason\":\"x\"}")
                .post("/api/tickets/" + s.otherA() + "/cancel").then().statusCode(403)
                .body("detail", equalTo("your role may not do this"));
    }

    @Test
    void aSupervisorWorksWithinHisAreaAndSeesTheCallerMasked() {
        Streets s = Streets.create();
        String supervisor = TestTokens.supervisor("s-" + s.a(), s.a());

        TestTokens.as(supervisor).get("/api/tickets").then().statusCode(200)
                .body("total", equalTo(2)).body("items.street", everyItem(equalTo(s.a())))
                .body("items.callerName", everyItem(equalTo("张*")))
                .body("items.callerPhone", hasItem(s.masked()))
                .body("items.callerPhone", not(hasItem(s.phone())));
        TestTokens.as(supervisor).queryParam("street", s.b()).get("/api/tickets").then().statusCode(403);
        // he sees numbers masked, so he may not search by one (guessing would recover it)
        TestTokens.as(supervisor).queryParam("callerPhone", s.phone()).get("/api/tickets").then().statusCode(403)
                .body("detail", equalTo("searching by caller phone is for operators and dispatchers"));

        String one = TestTokens.as(supervisor).get("/api/tickets/" + s.ticketA()).then().statusCode(200)
                .body("callerName", equalTo("张*")).body("callerPhone", equalTo(s.masked()))
                .body("repeats[0].callerName", equalTo("张*")).body("repeats[0].callerPhone", equalTo(s.masked()))
                .extract().asString();
        org.junit.jupiter.api.Assertions.assertFalse(one.contains(s.phone()), "the phone appears nowhere in full: " + one);
        TestTokens.as(supervisor).get("/api/tickets/" + s.ticketB()).then().statusCode(403);

        // the county's supervisor: every street, still masked
        String county = TestTokens.supervisor("s-county", Roles.COUNTY);
        TestTokens.as(county).queryParam("street", s.b()).get("/api/tickets").then().statusCode(200)
                .body("total", equalTo(1)).body("items[0].callerName", equalTo("张*"));
        TestTokens.as(county).get("/api/tickets/" + s.ticketA()).then().statusCode(200)
                .body("callerPhone", equalTo(s.masked()));

        // acts within the area only; the answer is masked too
        TestTokens.as(supervisor).contentType(ContentType.JSON).body("{\"reason\":\"重复登记\"}")
                .post("/api/tickets/" + s.ticketB() + "/cancel").then().statusCode(403);
        // holding monitoring too (the wall screen) does not widen where he acts
        TestTokens.as(TestTokens.token("s-wall", Set.of(Roles.SUPERVISOR, Roles.MONITORING), Map.of("area", s.a())))
                .contentType(ContentType.JSON).body("{\"reason\":\"重复登记\"}")
                .post("/api/tickets/" + s.ticketB() + "/cancel").then().statusCode(403);
        TestTokens.as(supervisor).contentType(ContentType.JSON).body("{\"reason\":\"重复登记\"}")
                .post("/api/tickets/" + s.otherA() + "/cancel").then().statusCode(200)
                .body("status", equalTo("CANCELLED")).body("callerName", equalTo("张*"));
        // the follow-up call is the operators'
        TestTokens.as(supervisor).contentType(ContentType.JSON).body("{\"reached\":false}")
                .post("/api/tickets/" + s.ticketA() + "/follow-up").then().statusCode(403);
        // another area's repeat cannot be overridden by him (refused before anything changes)
        String repeatId = Api.given().get("/api/tickets/" + s.ticketA()).then().extract().path("repeats[0].repeatId");
        TestTokens.as(TestTokens.supervisor("s-" + s.b(), s.b())).contentType(ContentType.JSON)
                .body("{\"reason\":\"另一处\"}")
                .post("/api/tickets/" + s.ticketA() + "/repeats/" + repeatId + "/override").then().statusCode(403);
        TestTokens.as(supervisor).contentType(ContentType.JSON).body("{\"reason\":\"另一处\"}")
                .post("/api/tickets/" + s.ticketA() + "/repeats/" + repeatId + "/override").then().statusCode(201)
                .body("id", equalTo(repeatId)).body("callerPhone", equalTo(s.masked()));
    }

    @Test
    void anOperatorSeesEveryStreetInFull() {
        Streets s = Streets.create();
        Api.given().queryParam("callerPhone", s.phone()).get("/api/tickets").then().statusCode(200)
                .body("items.id", contains(s.ticketA())).body("items[0].callerPhone", equalTo(s.phone()))
                .body("items[0].callerName", equalTo("张三"));
        Api.given().get("/api/tickets/" + s.ticketB()).then().statusCode(200).body("callerName", equalTo("张三"));
        // no filter: every street
        Api.given().queryParam("size", 100).get("/api/tickets").then().statusCode(200)
                .body("items.street", hasItem(s.a())).body("items.street", hasItem(s.b()));
    }

    @Test
    void creatingAndCancellingAreAuditedWithTheTicketAndTheOperator() {
        String operator = "op-audit-" + UUID.randomUUID();
        String token = TestTokens.operator(operator);
        String id = TestTokens.as(token).contentType(ContentType.JSON).body(TestData.report()).post("/api/tickets")
                .then().statusCode(201).extract().path("id");
        TestTokens.as(token).contentType(ContentType.JSON).body("{\"reason\":\"来电人撤回诉求\"}")
                .post("/api/tickets/" + id + "/cancel").then().statusCode(200);

        TestTokens.as(TestTokens.admin("auditor")).queryParam("ticket", id).get("/api/audit").then().statusCode(200)
                .body("", hasSize(2))
                .body("actor", everyItem(equalTo(operator)))
                .body("roles", everyItem(equalTo("operator")))
                .body("ticketId", everyItem(equalTo(id)))
                .body("action", contains("POST /api/tickets/{id}/cancel", "POST /api/tickets"))
                .body("status", contains(200, 201));
    }

    /** Who saw a caller in full has an answer: such a read is audited per ticket; a masked one is not. */
    @Test
    void readingACallerInFullIsAuditedAMaskedReadIsNot() {
        Streets s = Streets.create();
        String reader = "d-aud-" + UUID.randomUUID();
        String dispatcher = TestTokens.dispatcher(reader, s.a());
        TestTokens.as(dispatcher).get("/api/tickets/" + s.otherA()).then().statusCode(200);
        TestTokens.as(dispatcher).get("/api/tickets").then().statusCode(200).body("total", equalTo(2));
        TestTokens.as(TestTokens.supervisor("s-aud", s.a())).get("/api/tickets/" + s.otherA()).then().statusCode(200)
                .body("callerName", equalTo("张*"));

        TestTokens.as(TestTokens.admin("auditor")).queryParam("ticket", s.otherA()).get("/api/audit").then().statusCode(200)
                .body("findAll { it.actor == '" + reader + "' }.action", contains(
                        "GET /api/tickets (caller data shown)", "GET /api/tickets/{id} (caller data shown)"))
                .body("findAll { it.actor == '" + reader + "' }.status", everyItem(equalTo(200)))
                .body("actor", not(hasItem("s-aud")));
        // the listing showed his street's other caller too: one entry per ticket shown
        TestTokens.as(TestTokens.admin("auditor")).queryParam("ticket", s.ticketA()).queryParam("user", reader)
                .get("/api/audit").then().statusCode(200).body("action", contains("GET /api/tickets (caller data shown)"));
    }
}

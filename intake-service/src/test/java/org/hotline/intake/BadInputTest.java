package org.hotline.intake;

import static org.hotline.intake.Api.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.hotline.backbone.testing.InfraResource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** Every refusal is problem+json naming the field and the reason, and writes nothing (no row, no event). */
@QuarkusTest
@WithTestResource(InfraResource.class)
class BadInputTest {

    /** Posts the body, checks the problem names {@code field}, and that nothing at all was written. */
    static ValidatableResponse refused(String body, int status, String field) {
        long before = TestData.writes();
        ValidatableResponse r = TestData.post(body).statusCode(status)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(status))
                .body("detail", not(containsString("java.")))
                .body("detail", not(containsString("Exception")));
        if (field != null) {
            r.body("errors.field", hasItem(field));
        }
        assertEquals(before, TestData.writes(), "nothing written for " + body);
        return r;
    }

    static String ok() {
        return TestData.report();
    }

    @Test
    void malformedJson() {
        refused("{\"source\":\"HOTLINE_12345\",", 400, null).body("title", equalTo("Invalid request body"));
        refused("not json at all", 400, null);
        refused("[1,2,3]", 400, null);
        // broken inside a nested record: still malformed JSON, not a wrong type of the field it broke in
        refused("{\"source\":\"HOTLINE_12345\",\"caller\":{\"name\":", 400, null)
                .body("title", equalTo("Invalid request body")).body("detail", startsWith("malformed JSON: "));
    }

    /** Every body is read one way (backbone's RequestBodies): malformed JSON names the reason on every endpoint. */
    @Test
    void malformedJsonOnEveryEndpointWithABody() {
        String id = TestData.create();
        for (String path : new String[] {"/api/tickets/" + id + "/cancel", "/api/tickets/" + id + "/follow-up",
                "/api/tickets/" + id + "/repeats/" + id + "/override"}) {
            long before = TestData.writes();
            given().contentType(ContentType.JSON).body("{\"reason\":").post(path).then().statusCode(400)
                    .contentType(startsWith("application/problem+json"))
                    .body("title", equalTo("Invalid request body"))
                    .body("detail", startsWith("malformed JSON: "));
            given().contentType(ContentType.JSON).post(path).then().statusCode(400)
                    .body("title", equalTo("Invalid request")).body("errors.field", hasItem("request"));
            given().contentType(ContentType.JSON).body("{\"extra\":1}").post(path).then()
                    .statusCode(400).body("errors.field", hasItem("extra"));
            assertEquals(before, TestData.writes(), "nothing written for a bad body on " + path);
        }
    }

    @Test
    void noBody() {
        long before = TestData.writes();
        given().contentType(ContentType.JSON).post("/api/tickets").then().statusCode(400)
                .contentType(startsWith("application/problem+json"));
        assertEquals(before, TestData.writes());
    }

    @Test
    void wrongTypes() {
        refused(ok().replace("\"SIMPLE\"", "42"), 400, "complexity");
        refused(ok().replaceAll("\"latitude\":[0-9.]+", "\"latitude\":\"north\""), 400, "location.latitude");
        refused(ok().replaceAll("\"caller\":\\{[^}]+\\}", "\"caller\":\"张三\""), 400, "caller");
        refused(ok().replace("\"楼上深夜装修噪音\"", "{\"text\":\"x\"}"), 400, "description");
        refused(ok().replace("\"category\"", "\"reportedAt\":\"yesterday\",\"category\""), 400, "reportedAt");
    }

    @Test
    void missingFields() {
        refused(ok().replace("\"source\":\"HOTLINE_12345\",", ""), 400, "source");
        refused(ok().replaceAll("\"caller\":\\{[^}]+\\},", ""), 400, "caller");
        refused(ok().replace("\"category\":\"NOISE\",", ""), 400, "category");
        refused(ok().replace("\"street\":\"wukang\",", ""), 400, "location.street");
        refused(ok().replaceAll(",\\s*\"description\":\"[^\"]+\"", ""), 400, "description");
        refused(ok().replaceAll("\"longitude\":[0-9.]+,", ""), 400, "location.longitude");
    }

    @Test
    void unknownEnumValuesAndFields() {
        refused(ok().replace("HOTLINE_12345", "FAX"), 400, "source").body("errors[0].reason", containsString("HANDOVER_110"));
        refused(ok().replace("\"SIMPLE\"", "\"TRIVIAL\""), 400, "complexity");
        refused(ok().replace("\"category\"", "\"priority\":\"HIGH\",\"category\""), 400, "priority");
    }

    @Test
    void invalidPhoneNumbers() {
        for (String phone : new String[] {"12345678901", "1381234567", "138123456789", "+8613812345678", "110",
                "0572-123", "057212345678901", "138-1234-5678", "一三八"}) {
            refused(ok().replaceAll("\"phone\":\"\\d+\"", "\"phone\":\"" + phone + "\""), 400, "caller.phone");
        }
    }

    @Test
    void coordinatesOutOfRange() {
        refused(ok().replaceAll("\"latitude\":[0-9.]+", "\"latitude\":90.01"), 400, "location.latitude");
        refused(ok().replaceAll("\"latitude\":[0-9.]+", "\"latitude\":-91"), 400, "location.latitude");
        refused(ok().replaceAll("\"longitude\":[0-9.]+", "\"longitude\":180.5"), 400, "location.longitude");
        refused(ok().replaceAll("\"longitude\":[0-9.]+", "\"longitude\":-200"), 400, "location.longitude");
    }

    @Test
    void overLongAndBlankStrings() {
        refused(ok().replace("楼上深夜装修噪音", "噪".repeat(4001)), 400, "description");
        refused(ok().replace("武康街道英溪北路 88 号", "路".repeat(257)), 400, "location.address");
        refused(ok().replace("\"张三\"", "\"" + "张".repeat(65) + "\""), 400, "caller.name");
        refused(ok().replace("\"category\"", "\"upstreamRef\":\"" + "R".repeat(129) + "\",\"category\""), 400, "upstreamRef");
        refused(ok().replace("楼上深夜装修噪音", "   "), 400, "description");
        refused(ok().replace("\"张三\"", "\"\""), 400, "caller.name");
        refused(ok().replace("\"wukang\"", "\" \""), 400, "location.street");
        refused(ok().replace("\"NOISE\"", "\"\""), 400, "category");
    }

    @Test
    void aBodyOverTheLimitIs413ProblemJson() {
        long before = TestData.writes();
        String huge = ok().replace("楼上深夜装修噪音", "x".repeat(70 * 1024));
        given().contentType(ContentType.JSON).body(huge).post("/api/tickets").then().statusCode(413)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(413))
                .body("errors[0].field", equalTo("body"));
        assertEquals(before, TestData.writes());
    }

    @Test
    void aWrongContentTypeIsAProblem() {
        long before = TestData.writes();
        given().contentType(ContentType.TEXT).body(ok()).post("/api/tickets").then().statusCode(415)
                .contentType(startsWith("application/problem+json"));
        assertEquals(before, TestData.writes());
    }

    /**
     * PostgreSQL cannot store U+0000 in text: a NUL anywhere in a text field is a 400 naming the
     * field (it used to reach the database and answer 500), in the body, the query or the path.
     */
    @Test
    void aNulCharacterInAnyTextFieldIsRefusedNamingTheField() {
        String nul = "\\u0000"; // JSON's escape for U+0000
        refused(ok().replace("\"张三\"", "\"张" + nul + "三\""), 400, "caller.name")
                .body("errors[0].reason", containsString("U+0000"));
        refused(ok().replace("楼上深夜装修噪音", "楼上" + nul), 400, "description");
        refused(ok().replace("英溪北路", "英溪" + nul), 400, "location.address");
        refused(ok().replace("\"wukang-03\"", "\"wukang-03" + nul + "\""), 400, "location.grid");
        refused(ok().replace("\"wukang\"", "\"wu" + nul + "kang\""), 400, "location.street");
        refused(ok().replace("\"NOISE\"", "\"NOISE" + nul + "\""), 400, "category");

        String id = TestData.create();
        given().contentType(ContentType.JSON).body("{\"reason\":\"撤回" + nul + "\"}")
                .post("/api/tickets/" + id + "/cancel").then().statusCode(400)
                .contentType(startsWith("application/problem+json")).body("errors.field", hasItem("reason"));
        given().contentType(ContentType.JSON).body("{\"reached\":true,\"satisfaction\":\"SATISFIED\",\"comment\":\"好" + nul + "\"}")
                .post("/api/tickets/" + id + "/follow-up").then().statusCode(400)
                .contentType(startsWith("application/problem+json")).body("errors.field", hasItem("comment"));
        given().get("/api/tickets/" + id).then().statusCode(200).body("status", equalTo("RECEIVED"));
        // query and path parameters reach SQL too
        given().urlEncodingEnabled(false).get("/api/tickets?street=wu%00kang").then().statusCode(400)
                .contentType(startsWith("application/problem+json")).body("errors[0].field", equalTo("street"));
        given().urlEncodingEnabled(false).get("/api/categories/NO%00ISE").then().statusCode(400)
                .contentType(startsWith("application/problem+json"));
    }

    /**
     * Streets and grids are reference data: a typo in the street would put the ticket outside
     * every dispatcher's scope, so it is refused with the valid ones (operators see them).
     */
    @Test
    void anUnknownStreetOrAGridNotOfItsStreetIsRefusedListingTheValidOnes() {
        refused(ok().replace("\"wukang\"", "\"wukagn\""), 400, "location.street")
                .body("title", equalTo("Unknown street"))
                .body("errors[0].reason", containsString("unknown street 'wukagn'"))
                .body("errors[0].reason", containsString("wukang"));
        refused(ok().replace("\"wukang-03\"", "\"wukang-09\""), 400, "location.grid")
                .body("errors[0].reason", containsString("wukang-01, wukang-02, wukang-03, wukang-04"));
        // a grid of its street, or none, is fine
        TestData.post(ok().replace("\"wukang-03\"", "\"wukang-04\"")).statusCode(201);
        TestData.post(ok().replace(",\"grid\":\"wukang-03\"", "")).statusCode(201).body("grid", equalTo(null));
        given().get("/api/streets").then().statusCode(200)
                .body("find { it.code == 'wukang' }.nameZh", equalTo("武康街道"))
                .body("find { it.code == 'wukang' }.grids.code", hasItem("wukang-04"));
    }
}

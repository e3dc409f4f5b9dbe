package org.hotline.system;

import java.util.Map;
import java.util.Set;

import org.hotline.backbone.security.Roles;
import org.hotline.backbone.testing.TestTokens;

import io.restassured.specification.RequestSpecification;

/** Calls as the wukang street's duty officer: operator, dispatcher of wukang and county supervisor at once. */
final class Api {

    static final String DUTY = TestTokens.token("wk-zhang", Set.of(Roles.OPERATOR, Roles.DISPATCHER, Roles.SUPERVISOR),
            Map.of("street", "wukang", "area", Roles.COUNTY));

    private Api() {
    }

    static RequestSpecification given() {
        return TestTokens.as(DUTY);
    }

    private static final String[][] KINDS = { { "NOISE", "wukang-01" }, { "SANITATION", "wukang-02" },
            { "ROAD_DAMAGE", "wukang-03" }, { "NEIGHBOR_DISPUTE", "wukang-04" }, { "TRAFFIC_PARKING", "wukang-01" } };

    /**
     * Posts a ticket through intake from caller number {@code caller} (a caller and address of its
     * own each), spread over the demo street's grids and categories; returns its id.
     */
    static String postTicket(String intakeUrl, int caller) {
        String[] k = KINDS[caller % KINDS.length];
        return given().baseUri(intakeUrl).contentType(io.restassured.http.ContentType.JSON).body("""
                {"source":"HOTLINE_12345",
                 "caller":{"name":"王五","phone":"1390000%04d"},
                 "location":{"address":"武康街道永安街 %d 号","street":"wukang","grid":"%s"},
                 "category":"%s","complexity":"SIMPLE","description":"故障测试 %d"}
                """.formatted(caller, caller, k[1], k[0], caller)).post("/api/tickets").then().statusCode(201)
                .extract().path("id");
    }

    /** Raises every unit's capacity: no ticket of a load or fault run waits for a unit to become free. */
    static void roomForEveryTicket(String dispatchUrl) {
        String admin = TestTokens.admin("system-test-admin");
        java.util.List<Map<String, Object>> units = TestTokens.as(admin).baseUri(dispatchUrl).queryParam("street", "wukang")
                .get("/api/units")
                .then().statusCode(200).extract().path("");
        for (Map<String, Object> u : units) {
            Map<String, Object> body = new java.util.HashMap<>();
            for (String f : java.util.List.of("name", "type", "street", "grids", "categories", "status", "latitude", "longitude")) {
                body.put(f, u.get(f));
            }
            body.put("capacity", 100);
            TestTokens.as(admin).baseUri(dispatchUrl).contentType(io.restassured.http.ContentType.JSON).body(body)
                    .put("/api/units/" + u.get("unitId")).then().statusCode(200);
        }
    }
}

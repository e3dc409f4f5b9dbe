package org.hotline.intake;

import static org.hotline.intake.Api.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.startsWith;

import java.time.Instant;

import org.hotline.backbone.testing.InfraResource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(InfraResource.class)
class SearchTest {

    @Test
    void findsByEachFilterNewestFirstPagedWithTheTotal() {
        Instant start = Instant.now().minusSeconds(1);
        String street = "search-" + System.nanoTime();
        String phone = TestData.phone();
        String[] ids = new String[5];
        for (int i = 0; i < 5; i++) {
            double[] p = TestData.place();
            String body = TestData.inStreet(TestData.report(i == 2 ? phone : TestData.phone(), p[0], p[1],
                    i % 2 == 0 ? "NOISE" : "ROAD_DAMAGE"), street);
            if (i == 4) {
                body = body.replace("HOTLINE_12345", "GRID_PATROL");
            }
            ids[i] = TestData.post(body).statusCode(201).extract().path("id");
        }
        given().contentType(ContentType.JSON).body("{\"reason\":\"重复登记\"}").post("/api/tickets/" + ids[3] + "/cancel")
                .then().statusCode(200);

        given().queryParam("street", street).get("/api/tickets").then().statusCode(200)
                .body("total", equalTo(5)).body("items.id", contains(ids[4], ids[3], ids[2], ids[1], ids[0]));
        given().queryParam("street", street).queryParam("size", 2).queryParam("page", 1).get("/api/tickets").then()
                .body("total", equalTo(5)).body("page", equalTo(1)).body("size", equalTo(2))
                .body("items.id", contains(ids[2], ids[1]));
        given().queryParam("street", street).queryParam("category", "ROAD_DAMAGE").get("/api/tickets").then()
                .body("items.id", contains(ids[3], ids[1]));
        given().queryParam("street", street).queryParam("status", "CANCELLED").get("/api/tickets").then()
                .body("items.id", contains(ids[3]));
        given().queryParam("street", street).queryParam("source", "GRID_PATROL").get("/api/tickets").then()
                .body("items.id", contains(ids[4]));
        given().queryParam("callerPhone", phone).get("/api/tickets").then()
                .body("items.id", contains(ids[2])).body("items.callerPhone", everyItem(equalTo(phone)));
        given().queryParam("street", street).queryParam("from", start.toString())
                .queryParam("to", Instant.now().plusSeconds(5).toString()).get("/api/tickets").then()
                .body("total", equalTo(5));
        given().queryParam("street", street).queryParam("to", start.toString()).get("/api/tickets").then()
                .body("total", equalTo(0));
    }

    @Test
    void badParametersAreRefusedNamingTheParameter() {
        for (String[] bad : new String[][] {{"status", "OPENISH"}, {"source", "FAX"}, {"from", "yesterday"},
                {"to", "2026-13-01"}, {"page", "-1"}, {"size", "1000"}, {"size", "ten"}, {"callerPhone", "abc"}}) {
            given().queryParam(bad[0], bad[1]).get("/api/tickets").then().statusCode(400)
                    .contentType(startsWith("application/problem+json"))
                    .body("errors[0].field", equalTo(bad[0]));
        }
        given().queryParam("from", "2026-11-23T10:00:00Z").queryParam("to", "2026-11-23T09:00:00Z").get("/api/tickets")
                .then().statusCode(400).body("errors[0].field", equalTo("to"));
    }
}

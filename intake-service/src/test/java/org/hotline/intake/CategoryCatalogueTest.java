package org.hotline.intake;

import static org.hotline.intake.Api.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.hotline.backbone.testing.EventSchemas;
import org.hotline.backbone.testing.InfraResource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(InfraResource.class)
class CategoryCatalogueTest {

    @Test
    void theCatalogueListsCodesWithNamesDefaultComplexityAndUnitTypes() {
        given().get("/api/categories").then().statusCode(200)
                .body("size()", greaterThanOrEqualTo(20))
                .body("code", hasItems("NOISE", "NEIGHBOR_DISPUTE", "FAMILY_DISPUTE", "ROAD_DAMAGE", "FACILITY_DAMAGE",
                        "SANITATION", "ILLEGAL_CONSTRUCTION", "WAGE_ARREARS", "TRAFFIC_PARKING", "CONSUMER_DISPUTE",
                        "PUBLIC_ORDER"));
        given().get("/api/categories/WAGE_ARREARS").then().statusCode(200)
                .body("nameZh", equalTo("拖欠工资"))
                .body("nameEn", equalTo("Wage arrears"))
                .body("defaultComplexity", equalTo("COMPLEX"))
                .body("unitTypes", hasItem("OTHER"));
        given().get("/api/categories/NO_SUCH").then().statusCode(404)
                .contentType(startsWith("application/problem+json"));
    }

    /** Dispatch's demo units name the categories they handle: every one must be a catalogue code. */
    @Test
    void everyCategoryTheDemoUnitsHandleIsInTheCatalogue() throws IOException {
        String units = Files.readString(EventSchemas.schemasDir().getParent().getParent()
                .resolve("dispatch-service/src/main/resources/demo/units.sql"));
        List<String> codes = given().get("/api/categories").then().extract().path("code");
        Matcher m = Pattern.compile("'\\{([A-Z_,]+)\\}'").matcher(units);
        int seen = 0;
        while (m.find()) {
            for (String code : m.group(1).split(",")) {
                if (code.contains("_") || code.equals("NOISE") || code.equals("SANITATION")) {
                    seen++;
                    assertTrue(codes.contains(code), code + " from the demo units is not in the catalogue");
                }
            }
        }
        assertTrue(seen > 10, "read the demo units' categories");
        assertTrue(Files.exists(Path.of(".")));
    }

    @Test
    void anUnknownCategoryIsRefusedWithTheValidCodesAndWritesNothing() {
        long before = TestData.writes();
        TestData.post(TestData.report().replace("\"NOISE\"", "\"UFO_SIGHTING\"")).statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("errors[0].field", equalTo("category"))
                .body("errors[0].reason", containsString("UFO_SIGHTING"))
                .body("errors[0].reason", containsString("NOISE"))
                .body("errors[0].reason", containsString("WAGE_ARREARS"));
        assertEquals(before, TestData.writes());
    }

    @Test
    void complexityDefaultsFromTheCatalogueAndAnAliasIsStoredAsItsCode() {
        double[] p = TestData.place();
        TestData.post(TestData.report(TestData.phone(), p[0], p[1], "WAGE_ARREARS").replace(",\"complexity\":\"SIMPLE\"", ""))
                .statusCode(201).body("complexity", equalTo("COMPLEX"));
        p = TestData.place();
        TestData.post(TestData.report(TestData.phone(), p[0], p[1], "NEIGHBOUR_DISPUTE")).statusCode(201)
                .body("category", equalTo("NEIGHBOR_DISPUTE")).body("complexity", equalTo("SIMPLE"));
    }

    /**
     * The catalogue is kept in memory (a create reads no category row): a category added by SQL
     * counts on its first use, and one deactivated by SQL is refused once the copy is renewed
     * ({@code intake.reference-refresh}, 1 s in tests, 30 s by default).
     */
    @Test
    void aCategoryAddedBySqlCountsAtOnceAndADeactivatedOneIsRefusedAfterTheRefresh() {
        String code = "TEST_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        TestData.sql("insert into category (code, name_zh, name_en, default_complexity, unit_types, sort_order)"
                + " values (?1, ?1, ?1, 'SIMPLE', '{MEDIATION}', 999)", code);
        double[] p = TestData.place();
        TestData.post(TestData.report(TestData.phone(), p[0], p[1], code)).statusCode(201).body("category", equalTo(code));

        TestData.sql("update category set active = false where code = ?1", code);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            double[] q = TestData.place();
            TestData.post(TestData.report(TestData.phone(), q[0], q[1], code)).statusCode(400)
                    .body("errors[0].field", equalTo("category"));
        });
    }
}

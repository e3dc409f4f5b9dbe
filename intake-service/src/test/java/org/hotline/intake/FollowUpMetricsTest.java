package org.hotline.intake;

import static org.hotline.intake.Api.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hotline.backbone.testing.InfraResource;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;

/**
 * Issue #15: the satisfaction rate (满意率) the dashboards show comes from
 * {@code intake_follow_ups_total}: each recorded follow-up counts once, by street and satisfaction
 * ({@code unreached} when the caller was not reached); a refused follow-up counts nothing.
 */
@QuarkusTest
@WithTestResource(InfraResource.class)
class FollowUpMetricsTest {

    @Inject
    MeterRegistry registry;

    double count(String satisfaction) {
        return registry.find("intake.follow.ups").tags("street", "wukang", "satisfaction", satisfaction).counters()
                .stream().mapToDouble(c -> c.count()).sum();
    }

    String ticket() {
        double[] p = TestData.place();
        return TestData.post(TestData.report(TestData.phone(), p[0], p[1], "NOISE")).statusCode(201).extract().path("id");
    }

    void followUp(String id, String body, int status) {
        given().contentType(ContentType.JSON).body(body).post("/api/tickets/" + id + "/follow-up").then().statusCode(status);
    }

    @Test
    void eachFollowUpCountsOnceBySatisfaction() {
        double satisfied = count("SATISFIED");
        double dissatisfied = count("DISSATISFIED");
        double unreached = count("unreached");

        followUp(ticket(), "{\"reached\":true,\"satisfaction\":\"SATISFIED\"}", 200);
        followUp(ticket(), "{\"reached\":true,\"satisfaction\":\"DISSATISFIED\",\"comment\":\"噪音依旧\"}", 200);
        followUp(ticket(), "{\"reached\":false}", 200);
        // refused: reached without a verdict; nothing recorded, nothing counted
        followUp(ticket(), "{\"reached\":true}", 400);

        assertEquals(satisfied + 1, count("SATISFIED"));
        assertEquals(dissatisfied + 1, count("DISSATISFIED"));
        assertEquals(unreached + 1, count("unreached"));
        String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(scrape.contains("intake_follow_ups_total{satisfaction=\"SATISFIED\",service=\"intake-service\",street=\"wukang\"}"),
                "exported as the recording rules read it");
    }
}

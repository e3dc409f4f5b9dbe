package org.hotline.intake;

import static org.hotline.intake.Api.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hotline.backbone.testing.InfraResource;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

@QuarkusTest
@WithTestResource(InfraResource.class)
class MetricsTest {

    @Inject
    MeterRegistry registry;

    double count(String name, String... tags) {
        Search s = registry.find(name).tags(tags);
        return s.counters().stream().mapToDouble(c -> c.count()).sum();
    }

    long latencyCount() {
        return registry.find("intake.ticket.create").tag("channel", "rest").timers().stream().mapToLong(t -> t.count()).sum();
    }

    @Test
    void receivedRepeatsRejectionsAndLatencyMove() {
        double received = count("intake.tickets.received", "source", "HOTLINE_12345", "category", "WAGE_ARREARS");
        double repeats = count("intake.repeats", "matched_by", "PHONE");
        double reportsRepeat = count("intake.reports", "outcome", "repeat");
        double unknown = count("intake.rejections", "channel", "rest", "reason", "unknown_category");
        double invalid = count("intake.rejections", "channel", "rest", "reason", "invalid_value");
        double malformed = count("intake.rejections", "channel", "rest", "reason", "malformed_json");
        double unauthenticated = count("intake.rejections", "channel", "rest", "reason", "unauthenticated");
        double forbidden = count("intake.rejections", "channel", "rest", "reason", "forbidden");
        long timed = latencyCount();

        String phone = TestData.phone();
        double[] p = TestData.place();
        TestData.post(TestData.report(phone, p[0], p[1], "WAGE_ARREARS")).statusCode(201);
        TestData.post(TestData.report(phone, p[0], p[1], "WAGE_ARREARS")).statusCode(200);
        TestData.post(TestData.report(TestData.phone(), p[0], p[1], "UFO")).statusCode(400);
        TestData.post(TestData.report("1", p[0], p[1], "NOISE")).statusCode(400);
        TestData.post("{").statusCode(400);
        io.restassured.RestAssured.given().get("/api/tickets").then().statusCode(401);
        org.hotline.backbone.testing.TestTokens.as(org.hotline.backbone.testing.TestTokens.monitoring("m"))
                .get("/api/tickets").then().statusCode(403);

        assertEquals(received + 1, count("intake.tickets.received", "source", "HOTLINE_12345", "category", "WAGE_ARREARS"));
        assertEquals(repeats + 1, count("intake.repeats", "matched_by", "PHONE"));
        assertEquals(reportsRepeat + 1, count("intake.reports", "outcome", "repeat"));
        assertEquals(unknown + 1, count("intake.rejections", "channel", "rest", "reason", "unknown_category"));
        assertEquals(invalid + 1, count("intake.rejections", "channel", "rest", "reason", "invalid_value"));
        assertEquals(malformed + 1, count("intake.rejections", "channel", "rest", "reason", "malformed_json"));
        assertEquals(unauthenticated + 1, count("intake.rejections", "channel", "rest", "reason", "unauthenticated"));
        assertEquals(forbidden + 1, count("intake.rejections", "channel", "rest", "reason", "forbidden"));
        assertTrue(latencyCount() >= timed + 4, "create latency recorded");

        String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(scrape.contains("intake_ticket_create_seconds_bucket"), "latency is a histogram");
        assertTrue(scrape.contains("intake_reports_total"), "repeat-call rate inputs exported");
    }
}

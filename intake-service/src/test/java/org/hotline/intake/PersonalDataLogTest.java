package org.hotline.intake;

import static org.hotline.intake.Api.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hotline.backbone.testing.EventProbe;
import org.hotline.backbone.testing.InfraResource;
import org.hotline.backbone.testing.LogCapture;
import org.hotline.backbone.testing.TestTokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Runs a whole scenario (create, repeat, override, follow-up, cancel, masked and refused reads, the
 * audit query, an upstream record, a dead letter) and reads every log line the service wrote
 * meanwhile: no caller phone or name appears in full, and the masked form does.
 */
@QuarkusTest
@WithTestResource(InfraResource.class)
class PersonalDataLogTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void noCallerPhoneOrNameAppearsInTheLogs() {
        try (LogCapture capture = LogCapture.start()) {
            String phone = TestData.phone();
            String name = "欧阳娜娜";
            String landline = "0572-86543210";
            double[] p = TestData.place();
            String body = TestData.report(phone, p[0], p[1], "NOISE").replace("张三", name);
            String id = TestData.post(body).statusCode(201).extract().path("id");
            String repeatId = TestData.post(body).statusCode(200).extract().path("repeatId");
            given().contentType(ContentType.JSON).body("{\"reason\":\"另一户\"}")
                    .post("/api/tickets/" + id + "/repeats/" + repeatId + "/override").then().statusCode(201);
            given().contentType(ContentType.JSON).body("{\"reached\":true,\"satisfaction\":\"DISSATISFIED\",\"comment\":\"回拨 " + phone + "\"}")
                    .post("/api/tickets/" + id + "/follow-up").then().statusCode(200);
            given().contentType(ContentType.JSON).body("{\"reason\":\"来电人撤回\"}")
                    .post("/api/tickets/" + id + "/cancel").then().statusCode(200);
            TestData.post(TestData.report(phone, p[0], p[1], "UFO")).statusCode(400);
            // issue #7 paths: a masked read, a refused phone search and read of another street, the audit query
            TestTokens.as(TestTokens.supervisor("s-log", "wukang")).get("/api/tickets/" + id).then().statusCode(200);
            TestTokens.as(TestTokens.supervisor("s-log", "wukang")).queryParam("callerPhone", phone).get("/api/tickets")
                    .then().statusCode(403);
            TestTokens.as(TestTokens.dispatcher("d-log", "hunan")).get("/api/tickets/" + id).then().statusCode(403);
            TestTokens.as(TestTokens.admin("a-log")).queryParam("ticket", id).get("/api/audit").then().statusCode(200);

            EventProbe probe = EventProbe.shared(bootstrap, "intake-service.dlq");
            String incident = "LOG" + System.nanoTime();
            String record = UpstreamFeedTest.handover(incident, "13705721234", Instant.now().minus(1, ChronoUnit.MINUTES))
                    .replace("13705721234", landline).replace("李四", name);
            probe.send(UpstreamFeedTest.TOPIC_110, incident, record);
            String dead = "LOGDEAD" + System.nanoTime();
            probe.send(UpstreamFeedTest.TOPIC_110, dead, record.replace(incident, dead).replace("\"NOISE\"", "\"UFO\""));
            await().atMost(Duration.ofSeconds(30)).until(() -> !probe.about(dead).isEmpty()
                    && capture.lines.stream().anyMatch(l -> l.contains(incident)));

            String all = capture.all();
            assertTrue(capture.lines.size() > 5, "the scenario was logged");
            assertTrue(all.contains(phone.substring(0, 3) + "****" + phone.substring(7)), "masked phone is logged: " + all);
            for (String secret : new String[] {phone, name, landline, landline.replace("-", ""), "86543210"}) {
                assertFalse(all.contains(secret), "'" + secret + "' appears in the logs:\n" + all);
            }
        }
    }
}

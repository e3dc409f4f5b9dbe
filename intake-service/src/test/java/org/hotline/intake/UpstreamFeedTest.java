package org.hotline.intake;

import static org.hotline.intake.Api.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hotline.backbone.testing.BusyRequestThreads;
import org.hotline.backbone.testing.EventProbe;
import org.hotline.backbone.testing.EventSchemas;
import org.hotline.backbone.testing.InfraResource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(InfraResource.class)
class UpstreamFeedTest {

    static final String TOPIC_110 = "upstream.110-handover";
    static final String TOPIC_12345 = "upstream.12345-orders";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "quarkus.thread-pool.max-threads")
    int requestThreads;

    EventProbe events() {
        return EventProbe.shared(bootstrap, "ticket-events");
    }

    EventProbe dlq() {
        return EventProbe.shared(bootstrap, "intake-service.dlq");
    }

    /** The documented example (docs/schemas/examples/upstream-110.json) with a fresh incident, phone and place. */
    static String handover(String incidentNo, String phone, Instant callTime) {
        double[] p = TestData.place();
        return EventSchemas.example("upstream-110.json")
                .replace("J3305212026112300123", incidentNo)
                .replace("13705721234", phone)
                .replace("2026-11-23T10:24:40+08:00", callTime.toString())
                .replace("30.5448", String.valueOf(p[0])).replace("119.9702", String.valueOf(p[1]));
    }

    static String order(String orderNo, String phone, Instant acceptedAt) {
        double[] p = TestData.place();
        return EventSchemas.example("upstream-12345.json")
                .replace("ZJ12345-20261123-000456", orderNo)
                .replace("0572-8012345", phone)
                .replace("2026-11-23T09:05:12+08:00", acceptedAt.toString())
                .replace("30.5412", String.valueOf(p[0])).replace("119.9655", String.valueOf(p[1]));
    }

    List<String> ticketsWithRef(String ref) {
        return given().queryParam("size", 100).get("/api/tickets").then().extract()
                .path("items.findAll { it.upstreamRef == '" + ref + "' }.id");
    }

    @Test
    void theDocumentedExamplesMatchTheirSchemas() {
        assertEquals(Set.of(), EventSchemas.validate("upstream-110", json(EventSchemas.example("upstream-110.json"))));
        assertEquals(Set.of(), EventSchemas.validate("upstream-12345", json(EventSchemas.example("upstream-12345.json"))));
    }

    static com.fasterxml.jackson.databind.JsonNode json(String s) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aHandoverBecomesATicketWhoseClockStartsAtTheCallAndOnlyOnce() {
        String incident = "J330521" + System.nanoTime();
        Instant callTime = Instant.now().minus(3, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        String record = handover(incident, TestData.phone(), callTime);
        events().send(TOPIC_110, incident, record);
        events().send(TOPIC_110, incident, record); // the police system delivers twice

        await().atMost(Duration.ofSeconds(20)).until(() -> !ticketsWithRef(incident).isEmpty());
        String id = ticketsWithRef(incident).get(0);
        given().get("/api/tickets/" + id).then().statusCode(200)
                .body("source", equalTo("HANDOVER_110"))
                .body("reportedAt", equalTo(callTime.toString()))
                .body("category", equalTo("NOISE"));
        await().atMost(Duration.ofSeconds(20)).until(() -> !events().ofType(id, "ticket.received").isEmpty());
        EventProbe.Seen received = events().ofType(id, "ticket.received").get(0);
        assertEquals(Set.of(), EventSchemas.violations(received.value()));
        assertEquals(callTime.toString(), received.json().path("data").path("reportedAt").asText(),
                "the clock starts at the call, not at arrival");
        assertEquals(incident, received.json().path("data").path("upstreamRef").asText());

        // a third delivery after the first two were handled: still one ticket
        events().send(TOPIC_110, incident, record);
        String marker = "J330521" + System.nanoTime();
        events().send(TOPIC_110, marker, handover(marker, TestData.phone(), callTime));
        await().atMost(Duration.ofSeconds(20)).until(() -> !ticketsWithRef(marker).isEmpty());
        assertEquals(1, ticketsWithRef(incident).size(), "the same incident number yields one ticket");
        assertEquals(1, events().ofType(id, "ticket.received").size());
    }

    /**
     * A police handover must not wait behind the operators' requests: with every request thread
     * busy and more requests waiting for one, it still becomes a ticket. The blocking tasks stand
     * in for requests on the very pool Quarkus serves them from; the ticket is read from the
     * database, since a request would itself wait for a thread.
     */
    @Test
    void aHandoverBecomesATicketWhileEveryRequestThreadIsBusy() throws InterruptedException {
        try (BusyRequestThreads busy = new BusyRequestThreads(requestThreads)) {
            String incident = "J330521" + System.nanoTime();
            events().send(TOPIC_110, incident, handover(incident, TestData.phone(), Instant.now().minusSeconds(60)));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> TestData.count("ticket where upstream_ref = '" + incident + "'") == 1);
        }
    }

    @Test
    void aPlatformOrderBecomesATicket() {
        String orderNo = "ZJ12345-" + System.nanoTime();
        Instant accepted = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        events().send(TOPIC_12345, orderNo, order(orderNo, "0572-" + TestData.phone().substring(4), accepted));
        await().atMost(Duration.ofSeconds(20)).until(() -> !ticketsWithRef(orderNo).isEmpty());
        given().get("/api/tickets/" + ticketsWithRef(orderNo).get(0)).then()
                .body("source", equalTo("HOTLINE_12345"))
                .body("reportedAt", equalTo(accepted.toString()))
                .body("category", equalTo("ROAD_DAMAGE"))
                .body("complexity", equalTo("GENERAL"));
    }

    @Test
    void malformedRecordsGoToTheDeadLetterTopicWithTheReasonAndWriteNothing() {
        long before = TestData.count("ticket");
        Instant now = Instant.now().minus(1, ChronoUnit.MINUTES);
        String phone = TestData.phone();
        String[][] bad = {
                {"bad-json-" + System.nanoTime(), "{\"incidentNo\": ", "not JSON"},
                {"missing-" + System.nanoTime(), handover("M" + System.nanoTime(), phone, now)
                        .replaceAll("\"callTime\": \"[^\"]+\",", ""), "callTime"},
                {"phone-" + System.nanoTime(), handover("P" + System.nanoTime(), "110", now), "callerPhone"},
                {"category-" + System.nanoTime(), handover("C" + System.nanoTime(), phone, now)
                        .replace("\"NOISE\"", "\"UFO_SIGHTING\""), "unknown category code 'UFO_SIGHTING'"},
                {"lat-" + System.nanoTime(), handover("L" + System.nanoTime(), phone, now)
                        .replaceAll("\"latitude\": [0-9.]+", "\"latitude\": 95.5"), "latitude"},
                {"type-" + System.nanoTime(), handover("T" + System.nanoTime(), phone, now)
                        .replaceAll("\"latitude\": [0-9.]+", "\"latitude\": \"north\""), "latitude"},
                // PostgreSQL cannot store U+0000: a dead letter naming the field, not a retry loop
                {"nul-" + System.nanoTime(), handover("N" + System.nanoTime(), phone, now)
                        .replace("报警人称", "报警人称\\u0000"), "summary: must not contain U+0000"},
                // streets and grids are reference data: a typo would fall outside every dispatcher's scope
                {"street-" + System.nanoTime(), handover("S" + System.nanoTime(), phone, now)
                        .replace("\"wukang\"", "\"wukagn\""), "refused: street: unknown street 'wukagn'; valid streets: "},
                {"grid-" + System.nanoTime(), handover("G" + System.nanoTime(), phone, now)
                        .replace("\"wukang-03\"", "\"qianqiu-03\""), "refused: grid: "},
        };
        for (String[] b : bad) {
            events().send(TOPIC_110, b[0], b[1]);
        }
        String badOrder = "bad-order-" + System.nanoTime();
        events().send(TOPIC_12345, badOrder, order("O" + System.nanoTime(), phone, now).replaceAll("\"appealer\": \\{[^}]+\\},", ""));

        for (String[] b : bad) {
            await().atMost(Duration.ofSeconds(30)).until(() -> dlq().about(b[0]).size() == 1);
            EventProbe.Seen dead = dlq().about(b[0]).get(0);
            String reason = dead.headers().get("dead-letter-reason");
            assertTrue(reason != null && reason.contains(b[2]), b[0] + ": reason '" + reason + "' should name " + b[2]);
            assertEquals(b[1], dead.value(), "the record is kept unchanged");
            assertEquals(TOPIC_110, dead.headers().get("dead-letter-topic"));
            assertFalse(reason.contains(phone), "no caller phone in the reason");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> dlq().about(badOrder).size() == 1);
        assertTrue(dlq().about(badOrder).get(0).headers().get("dead-letter-reason").contains("appealer"));
        assertEquals(before, TestData.count("ticket"), "nothing written for a dead letter");
    }
}

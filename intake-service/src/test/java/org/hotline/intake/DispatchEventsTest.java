package org.hotline.intake;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hotline.intake.Api.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hotline.backbone.testing.EventProbe;
import org.hotline.backbone.testing.EventSchemas;
import org.hotline.backbone.testing.InfraResource;
import org.junit.jupiter.api.Test;

import jakarta.persistence.EntityManager;

import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Dispatch's topic as intake reads it: only ticket.closed matters here; the many other events of
 * a ticket are let pass without database work, and a ticket.closed intake cannot read is
 * dead-lettered with the reason while the rest of its batch applies.
 */
@QuarkusTest
@WithTestResource(InfraResource.class)
class DispatchEventsTest {

    static final String EXAMPLE_TICKET = "0b6f7c1e-2a44-4d6b-9f3e-8c2d1a5b7e90";
    static final String EXAMPLE_CLOSED_ID = "dfeac8f7-8335-4fd4-8ff1-5e5feec2c324";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    /** The example event of {@code type}, about {@code ticket}, with an id of its own. */
    static String event(String type, String ticket, String id) {
        String example = EventSchemas.example(type + ".json");
        String exampleId = example.replaceAll("(?s)^.*?\"id\"\\s*:\\s*\"([^\"]+)\".*$", "$1");
        return example.replace(EXAMPLE_TICKET, ticket).replace(exampleId, id);
    }

    @Test
    void theOtherEventsOfATicketPassWithoutDatabaseWorkAndItsClosingApplies() {
        String ticket = TestData.create();
        List<String> others = new ArrayList<>();
        for (String type : List.of("ticket.taken", "assignment.created", "caller.contacted", "assignment.acknowledged",
                "assignment.arrived", "assignment.resolved")) {
            String id = UUID.randomUUID().toString();
            others.add(id);
            probe().send("dispatch-events", ticket, event(type, ticket, id));
        }
        String closedId = UUID.randomUUID().toString();
        probe().send("dispatch-events", ticket, event("ticket.closed", ticket, closedId));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/tickets/" + ticket).then()
                .statusCode(200).body("status", equalTo("CLOSED")));
        // the closing was recorded once (redelivery-safe), the six others not at all: nothing was written for them
        assertEquals(1, processedAmong(List.of(closedId)));
        assertEquals(0, processedAmong(others), "no inbox row for events intake does not read");
    }

    @Test
    void aClosingWithoutATicketIsDeadLetteredWithTheReasonAndTheRestOfItsBatchApplies() {
        String ticket = TestData.create();
        String bad = event("ticket.closed", ticket, UUID.randomUUID().toString())
                .replace("\"ticketId\": \"" + ticket + "\"", "\"ticketId\": \"not-a-ticket\"");
        assertTrue(bad.contains("not-a-ticket"), "the example's ticketId was replaced");
        String key = "bad-" + UUID.randomUUID();
        probe().send("dispatch-events", key, bad);
        probe().send("dispatch-events", ticket, event("ticket.closed", ticket, UUID.randomUUID().toString()));

        await().atMost(Duration.ofSeconds(30)).until(() -> dlq().all().stream().anyMatch(s -> key.equals(s.key())));
        EventProbe.Seen dead = dlq().all().stream().filter(s -> key.equals(s.key())).findFirst().orElseThrow();
        assertTrue(dead.headers().get("dead-letter-reason").contains("ticketId"), dead.headers().toString());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/tickets/" + ticket).then()
                .statusCode(200).body("status", equalTo("CLOSED")));
    }

    EventProbe probe() {
        return EventProbe.shared(bootstrap, "dispatch-events");
    }

    EventProbe dlq() {
        return EventProbe.shared(bootstrap, "intake-service.dlq");
    }

    /** How many of {@code ids} intake's inbox recorded (processed_event, as an operator would read it in psql). */
    static long processedAmong(List<String> ids) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) Arc.container().instance(EntityManager.class).get()
                .createNativeQuery("select count(*) from processed_event where consumer = 'intake-service'"
                        + " and event_id = any(?1)")
                .setParameter(1, ids.toArray(String[]::new)).getSingleResult()).longValue());
    }
}

package org.hotline.notification;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasSize;
import static org.hotline.notification.AdminApi.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hotline.backbone.testing.EventProbe;
import org.hotline.backbone.testing.Batches;
import org.hotline.backbone.testing.EventSchemas;
import org.hotline.backbone.testing.InfraResource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The consumers take records a batch at a time (BatchInbox): a record the router refuses is
 * dead-lettered alone and the rest of its batch is notified; an event delivered twice within a
 * batch is notified once; a type without rule or projection is skipped unread. The records go out
 * in one producer flush, so the consumer usually polls them as one batch.
 */
@QuarkusTest
@WithTestResource(InfraResource.class)
@WithTestResource(ProviderServer.class)
class BatchConsumptionTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;



    static String assignmentCreated(String ticket, String eventId) {
        return EventSchemas.example("assignment.created.json")
                .replace("0b6f7c1e-2a44-4d6b-9f3e-8c2d1a5b7e90", ticket)
                .replace("9a3e1f0c-6b7d-4c2a-8e5f-1d2c3b4a5f60", eventId)
                .replace("3c9d2e1f-4a5b-4c6d-8e7f-9a0b1c2d3e4f", UUID.randomUUID().toString());
    }

    @Test
    void aRefusedRecordIsDeadLetteredAloneAndTheRestOfItsBatchIsNotifiedOnce() {
        String ticket = UUID.randomUUID().toString();
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        String refused = ProducerEvents.dispatch("assignment.withdrawn", ticket, Instant.now(),
                Map.of("assignmentId", "not-a-uuid"));
        String created = assignmentCreated(ticket, first);
        Batches.sendTogether(bootstrap, "dispatch-events", ticket, List.of(
                new Batches.Out("assignment.created", created),
                new Batches.Out("assignment.created", created), // a relay's replay, in the same batch
                new Batches.Out("assignment.withdrawn", refused),
                // no rule and no projection for this type: skipped by its header, even broken it is no dead letter
                new Batches.Out("assignment.acknowledged", "{not json"),
                new Batches.Out("assignment.created", assignmentCreated(ticket, second))));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().queryParam("ticketId", ticket)
                .get("/api/notifications").then().statusCode(200).body("", hasSize(2))
                .body("eventId", containsInAnyOrder(first, second)));
        EventProbe dlq = EventProbe.shared(bootstrap, "notification-service.dlq");
        await().atMost(Duration.ofSeconds(20)).until(() -> !dlq.about(ticket).isEmpty());
        List<EventProbe.Seen> dead = dlq.about(ticket);
        assertEquals(1, dead.size(), dead.toString());
        assertTrue(dead.get(0).value().contains("not-a-uuid"), "the refused record, as it came");
        assertTrue(dead.get(0).headers().get("dead-letter-reason").contains("is not a ticket/assignment id"),
                dead.get(0).headers().toString());
    }
}

package org.hotline.dispatch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hotline.backbone.event.EventCodec;
import org.hotline.backbone.event.PoisonEventException;
import org.hotline.backbone.inbox.BatchInbox;
import org.hotline.backbone.inbox.EventInbox;
import org.hotline.backbone.inbox.ProcessedEvents;
import org.hotline.backbone.testing.EventProbe;
import org.hotline.backbone.testing.Batches;
import org.hotline.backbone.testing.PolledBatch;
import org.hotline.backbone.testing.EventSchemas;
import org.hotline.backbone.testing.InfraResource;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * The consumers take records a batch at a time (BatchInbox): records of types dispatch ignores cost
 * nothing and are never errors; a record that fails inside a batch is dead-lettered alone and the
 * rest of its batch commits. The records of each test go out in one producer flush, so the
 * consumer usually polls them as one batch.
 */
@QuarkusTest
@WithTestResource(InfraResource.class)
class BatchConsumptionTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    EventInbox eventInbox;
    @Inject
    ProcessedEvents processedEvents;
    @Inject
    EventCodec codec;
    @Inject
    EntityManager em;

    EventProbe probe() {
        return EventProbe.shared(bootstrap, "ticket-events", "dispatch-events", "dispatch-service.dlq");
    }



    static String stageStarted(String eventId, String ticket, String deadline) {
        return EventSchemas.example("sla.stage-started.json").replace(TicketDispatchTest.EXAMPLE_TICKET, ticket)
                .replace("5d0c6a7e-1f2b-4c3d-9e8f-7a6b5c4d3e21", eventId)
                .replace("\"deadline\": \"2026-11-23T02:16:28Z\"", deadline == null ? "\"deadline\": null" : "\"deadline\": \"" + deadline + "\"");
    }

    @SuppressWarnings("unchecked")
    static Set<String> processed(String... ids) {
        return QuarkusTransaction.requiringNew().call(() -> Set.copyOf(Panache.getEntityManager().createNativeQuery(
                "select event_id from processed_event where consumer = 'dispatch-service' and event_id = any(cast(?1 as text[]))")
                .setParameter(1, ids).getResultList()));
    }

    @Test
    void aRecordFailingInsideABatchIsDeadLetteredAloneAndTheRestOfTheBatchCommits() {
        String street = StreetFixture.street();
        StreetFixture.unit(street, "a", "GRID_WORKER", List.of("NOISE"), 3, StreetFixture.LAT, StreetFixture.LON);
        String backup = StreetFixture.unit(street, "b", "LAW_ENFORCEMENT", List.of("NOISE"), 3, 30.56, 119.98);
        String ticket = StreetFixture.ticket(probe(), street, "NOISE");
        String before = UUID.randomUUID().toString();
        String bad = UUID.randomUUID().toString();
        String escalation = UUID.randomUUID().toString();
        // valid, then one whose data decodes but is refused by the handler (no deadline), then valid
        Batches.sendTogether(bootstrap, "sla-events", ticket, List.of(
                new Batches.Out("sla.stage-started", stageStarted(before, ticket, "2026-11-23T02:16:28Z")),
                new Batches.Out("sla.stage-started", stageStarted(bad, ticket, null)),
                new Batches.Out("sla.escalated", EscalationTest.escalated(escalation, ticket, street, "ADD_BACKUP"))));

        assertEquals(escalation, StreetFixture.event(probe(), ticket, "escalation.action-taken", 0)
                .path("escalationEventId").asText());
        StreetFixture.ticketView(ticket).body("assignments.find { it.unitId == '" + backup + "' }.role",
                org.hamcrest.Matchers.equalTo("ASSIST"));
        assertEquals(Set.of(before, escalation), processed(before, bad, escalation));
        await().atMost(StreetFixture.WAIT).until(() -> probe().about(ticket).stream()
                .anyMatch(s -> s.topic().equals("dispatch-service.dlq")));
        List<EventProbe.Seen> dead = probe().about(ticket).stream()
                .filter(s -> s.topic().equals("dispatch-service.dlq")).toList();
        assertEquals(1, dead.size(), dead.toString());
        assertTrue(dead.get(0).value().contains(bad), "the refused record, as it came");
        assertTrue(dead.get(0).headers().get("dead-letter-reason").contains("needs data.ticketId, stage and deadline"),
                dead.get(0).headers().toString());
    }

    @Test
    void typesDispatchIgnoresLeaveNoInboxRowAndAreNeverErrors() {
        String ticket = UUID.randomUUID().toString();
        String warningId = UUID.randomUUID().toString();
        String warning = EventSchemas.example("sla.stage-started.json").replace(TicketDispatchTest.EXAMPLE_TICKET, ticket)
                .replace("5d0c6a7e-1f2b-4c3d-9e8f-7a6b5c4d3e21", warningId)
                .replace("\"type\": \"sla.stage-started\"", "\"type\": \"sla.warning\"");
        String noActionId = UUID.randomUUID().toString();
        String escalationWithoutAction = EscalationTest.escalated(noActionId, ticket, "wukang", "REDISPATCH")
                .replace(",\"action\":\"REDISPATCH\"", "");
        String unheaded = UUID.randomUUID().toString();
        String marker = UUID.randomUUID().toString();
        Batches.sendTogether(bootstrap, "sla-events", ticket, List.of(
                new Batches.Out("sla.warning", warning),
                // a type dispatch does not handle is skipped unread: even a broken one is no dead letter
                new Batches.Out("sla.stage-met", "{not json"),
                new Batches.Out("sla.escalated", escalationWithoutAction),
                // no header: read, and judged by its type
                new Batches.Out(null, warning.replace(warningId, unheaded)),
                // a record that IS broken goes to the dead-letter topic, after any earlier one would have
                new Batches.Out(null, "{not json either"),
                new Batches.Out("sla.stage-started", stageStarted(marker, ticket, "2026-11-23T02:16:28Z"))));

        await().atMost(StreetFixture.WAIT).until(() -> !processed(marker).isEmpty());
        assertEquals(Set.of(), processed(warningId, noActionId, unheaded));
        await().atMost(StreetFixture.WAIT).until(() -> probe().about(ticket).stream()
                .anyMatch(s -> s.topic().equals("dispatch-service.dlq")));
        List<String> dead = probe().about(ticket).stream().filter(s -> s.topic().equals("dispatch-service.dlq"))
                .map(EventProbe.Seen::value).toList();
        assertEquals(List.of("{not json either"), dead);
    }

    /** A batch of three events on one partition (offsets 0, 1, 2), whose second the handler refuses. */
    private PolledBatch failingBatchThrough(BatchInbox batches, String good, String refused, String later) {
        String ticket = UUID.randomUUID().toString();
        PolledBatch settled = PolledBatch.of("sla-events", ticket, List.of(
                stageStarted(good, ticket, "2026-11-23T02:16:28Z"), stageStarted(refused, ticket, "2026-11-23T02:16:28Z"),
                stageStarted(later, ticket, "2026-11-23T02:16:28Z")));
        batches.process(settled.batch(),
                type -> true, event -> {
                    if (event.id().equals(refused)) {
                        throw new PoisonEventException("refused by the test");
                    }
                });
        return settled;
    }

    /**
     * A graceful stop: a batch failing while the service stops (typically on the closing persistence
     * unit) is neither replayed one by one nor dead-lettered nor acknowledged, so none of its good
     * events can be dead-lettered by the shutdown; it comes again after the restart. The same batch
     * while running: the refused record is dead-lettered alone and the good one commits.
     */
    @Test
    void aBatchFailingWhileTheServiceStopsIsLeftForRedelivery() {
        BatchInbox running = new BatchInbox(eventInbox, processedEvents, codec, em, new SimpleMeterRegistry());
        String good = UUID.randomUUID().toString();
        String refused = UUID.randomUUID().toString();
        String later = UUID.randomUUID().toString();
        PolledBatch whileRunning = failingBatchThrough(running, good, refused, later);
        assertEquals(List.of(1L), whileRunning.deadLettered);
        assertEquals(List.of(2L), whileRunning.acknowledged, "the partition's latest record, once all are settled");
        assertEquals(Set.of(good, later), processed(good, refused, later));

        BatchInbox stopping = new BatchInbox(eventInbox, processedEvents, codec, em, new SimpleMeterRegistry());
        stopping.stopping(new ShutdownEvent());
        String good2 = UUID.randomUUID().toString();
        String refused2 = UUID.randomUUID().toString();
        String later2 = UUID.randomUUID().toString();
        PolledBatch whileStopping = failingBatchThrough(stopping, good2, refused2, later2);
        assertEquals(List.of(), whileStopping.deadLettered);
        assertEquals(List.of(), whileStopping.acknowledged);
        assertEquals(Set.of(), processed(good2, refused2, later2), "nothing of the batch committed");
    }
}

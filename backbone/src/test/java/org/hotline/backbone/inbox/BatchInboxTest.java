package org.hotline.backbone.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import org.hotline.backbone.event.CloudEvent;
import org.hotline.backbone.event.EventCodec;
import org.hotline.backbone.event.PoisonEventException;
import org.hotline.backbone.outbox.OutboxEvent;
import org.hotline.backbone.testing.InfraResource;
import org.hotline.backbone.testing.PolledBatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * The batch handler's contract, against the real database: a handler gets a batch's new events
 * at once, in record order, in the transaction that claims their ids; by default each is applied
 * as alone; a batch that fails is applied again one event at a time through {@code apply}, each in
 * a transaction of its own, so the bad one alone is dead-lettered.
 */
@QuarkusTest
@TestProfile(BackboneAppProfile.class)
@WithTestResource(InfraResource.class)
class BatchInboxTest {

    private static final String TOPIC = "some-events";

    @Inject
    EventInbox eventInbox;
    @Inject
    ProcessedEvents processedEvents;
    @Inject
    EventCodec codec;
    @Inject
    EntityManager em;

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    BatchInbox inbox;

    @BeforeEach
    void setUp() {
        inbox = new BatchInbox(eventInbox, processedEvents, codec, em, registry);
        // what a handler's events write, and in which transaction (xmin)
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "create table if not exists effect (event_id text primary key)").executeUpdate());
    }

    @Test
    void aBatchHandlerGetsTheNewEventsAllAtOnceInTheTransactionThatClaimsThem() {
        String seen = UUID.randomUUID().toString();
        claimedBefore(seen);
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        String c = UUID.randomUUID().toString();
        List<List<String>> batches = new CopyOnWriteArrayList<>();
        List<String> alone = new CopyOnWriteArrayList<>();
        BatchInbox.Handler allAtOnce = new BatchInbox.Handler() {
            @Override
            public void applyBatch(List<CloudEvent> events, BatchInbox.Steps steps) {
                List<String> ids = events.stream().map(CloudEvent::id).toList();
                batches.add(ids);
                effects(ids);
            }

            @Override
            public void apply(CloudEvent event) {
                alone.add(event.id());
            }
        };

        // a seen before, and a relay's replay of a within the batch: neither is applied again
        PolledBatch settled = process(allAtOnce, a, seen, b, a, c);

        assertEquals(List.of(List.of(a, b, c)), batches, "one call, the new events in record order");
        assertEquals(List.of(), alone);
        Map<String, String> effects = transactionOf("effect", a, b, c);
        Map<String, String> claims = transactionOf("processed_event", a, b, c);
        assertEquals(1, new HashSet<>(effects.values()).size(), "one transaction: " + effects);
        assertEquals(effects, claims, "the ids claimed in the effects' transaction");
        assertEquals(List.of(), settled.deadLettered);
        assertEquals(List.of(4L), settled.acknowledged, "the partition's latest record");
    }

    @Test
    void byDefaultEachEventIsAppliedAsAloneWhileASharedContextKeepsWhatEarlierEventsLoaded() {
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        String c = UUID.randomUUID().toString();
        Recorder alone = new Recorder();
        process(alone::apply, a, b, c);
        assertEquals(List.of(a, b, c), alone.applied, "in record order");
        assertEquals(List.of(false, false), alone.earlierStillManaged, "the context cleared after each event");
        assertEquals(1, new HashSet<>(transactionOf("effect", a, b, c).values()).size(), "in the batch's transaction");

        String d = UUID.randomUUID().toString();
        String e = UUID.randomUUID().toString();
        String f = UUID.randomUUID().toString();
        Recorder sharing = new Recorder();
        process(new BatchInbox.Handler() {
            @Override
            public void applyBatch(List<CloudEvent> events, BatchInbox.Steps steps) {
                steps.eachSharingContext(events, this::apply);
            }

            @Override
            public void apply(CloudEvent event) {
                sharing.apply(event);
            }
        }, d, e, f);
        assertEquals(List.of(d, e, f), sharing.applied);
        assertEquals(List.of(true, true), sharing.earlierStillManaged, "flushed, not cleared");
    }

    @Test
    void aBatchThatFailsIsAppliedAgainThroughApplyOneEventPerTransaction() {
        String good = UUID.randomUUID().toString();
        String bad = UUID.randomUUID().toString();
        String later = UUID.randomUUID().toString();
        List<String> batchCalls = new CopyOnWriteArrayList<>();
        List<String> alone = new CopyOnWriteArrayList<>();
        BatchInbox.Handler handler = new BatchInbox.Handler() {
            @Override
            public void applyBatch(List<CloudEvent> events, BatchInbox.Steps steps) {
                events.forEach(ev -> batchCalls.add(ev.id()));
                effects(events.stream().map(CloudEvent::id).toList());
                if (events.stream().anyMatch(ev -> ev.id().equals(bad))) {
                    throw new PoisonEventException("refused by the test");
                }
            }

            @Override
            public void apply(CloudEvent event) {
                alone.add(event.id());
                if (event.id().equals(bad)) {
                    throw new PoisonEventException("refused by the test");
                }
                effects(List.of(event.id()));
            }
        };

        PolledBatch settled = process(handler, good, bad, later);

        assertEquals(List.of(good, bad, later), batchCalls, "the batch was tried whole first");
        assertEquals(List.of(good, bad, later), alone, "then each event alone, in record order");
        assertEquals(1.0, registry.counter("hotline.inbox.batch.fallbacks").count());
        Map<String, String> effects = transactionOf("effect", good, bad, later);
        assertEquals(Map.of(good, effects.get(good), later, effects.get(later)), effects,
                "nothing of the failed batch committed, nothing of the bad event");
        assertNotEquals(effects.get(good), effects.get(later), "a transaction each");
        assertEquals(effects, transactionOf("processed_event", good, bad, later), "each claimed with its effect");
        assertEquals(List.of(1L), settled.deadLettered, "the bad record alone");
        assertEquals(List.of(2L), settled.acknowledged);
    }

    /** Applies events alone, noting whether the previous event's entity is still managed. */
    private final class Recorder {
        final List<String> applied = new ArrayList<>();
        final List<Boolean> earlierStillManaged = new ArrayList<>();
        private OutboxEvent previous;

        void apply(CloudEvent event) {
            if (previous != null) {
                earlierStillManaged.add(em.contains(previous));
            }
            applied.add(event.id());
            effects(List.of(event.id()));
            OutboxEvent row = new OutboxEvent();
            row.eventId = UUID.randomUUID();
            row.topic = TOPIC;
            row.key = event.id();
            row.type = event.type();
            row.payload = "{}";
            row.createdAt = Instant.now();
            row.publishedAt = row.createdAt;
            em.persist(row);
            previous = row;
        }
    }

    private void effects(List<String> ids) {
        em.createNativeQuery("insert into effect (event_id) select unnest(cast(?1 as text[]))")
                .setParameter(1, ids.toArray(String[]::new)).executeUpdate();
    }

    private void claimedBefore(String id) {
        QuarkusTransaction.requiringNew().run(() -> processedEvents.firstDeliveries(List.of(event(id))));
    }

    /** Each id's row in the table, with the transaction that wrote it. */
    @SuppressWarnings("unchecked")
    private Map<String, String> transactionOf(String table, String... ids) {
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select event_id, xmin::text from " + table + " where event_id = any(cast(?1 as text[]))")
                .setParameter(1, ids).getResultList());
        return rows.stream().collect(Collectors.toMap(r -> (String) r[0], r -> (String) r[1]));
    }

    private CloudEvent event(String id) {
        return new CloudEvent(CloudEvent.SPEC_VERSION, id, "/hotline/test", "thing.happened", "ticket-1",
                Instant.now().toString(), "application/json", codec.toTree(Map.of("n", id)));
    }

    /** The events as one polled batch on one partition (offsets 0, 1, ...), processed on this thread. */
    private PolledBatch process(BatchInbox.Handler handler, String... ids) {
        PolledBatch polled = PolledBatch.of(TOPIC, "ticket-1",
                java.util.Arrays.stream(ids).map(id -> codec.encode(event(id))).toList());
        inbox.process(polled.batch(), type -> true, handler);
        return polled;
    }
}

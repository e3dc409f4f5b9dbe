package org.hotline.backbone.inbox;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.apache.kafka.common.header.Header;
import org.hotline.backbone.event.CloudEvent;
import org.hotline.backbone.event.EventCodec;
import org.hotline.backbone.event.PoisonEventException;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;

/**
 * How a consumer takes a batch of records (a channel with {@code batch=true}): cheaply, in one
 * transaction, with the same guarantees as {@link EventInbox} record by record.
 *
 * <ol>
 * <li>A record whose {@code ce_type} header names a type the consumer does not handle is
 * acknowledged without decoding it and without any database work (no transaction, no inbox row).
 * A record without the header (not from an outbox) is decoded and judged by its type.
 * <li>The rest are decoded; a malformed one goes to the dead-letter topic with the reason.
 * <li>In ONE transaction: the event ids are claimed in one statement (ids seen before, by this or
 * another replica, are skipped), then the new events go to the handler's
 * {@link Handler#applyBatch}, in record order (a partition's records in offset order, so per
 * ticket in order). By default each is applied as it would be alone ({@link Steps#eachAlone}: the
 * persistence context flushed and cleared after each); a handler may do batch-wide work first
 * (one read or lock for all its events), keep one persistence context across them
 * ({@link Steps#eachSharingContext}) or apply them all at once, as long as the outcome is that of
 * applying them in order one by one, which is what the replay below does.
 * <li>If the batch fails (a poison event, a bug, a deadlock, an early event, an outage), nothing of
 * it committed: its events are applied again one by one through {@link EventInbox}, each by
 * {@link Handler#apply} in a transaction of its own, so the bad record alone is dead-lettered with
 * its reason (or retried, as EventInbox retries) and the others commit.
 * </ol>
 * Once the service is stopping, a batch that fails is not applied again one by one: its failure
 * is most likely the closing persistence unit, and the replay would dead-letter good events. The
 * batch is left unacknowledged instead and redelivered (and deduplicated) after the restart.
 *
 * <p>Every dead-lettered record is on the dead-letter topic before the batch is acknowledged, so the
 * committed offset never passes an unsettled record.
 */
@ApplicationScoped
public class BatchInbox {

    /** The CloudEvents type as the outbox relay writes it on every record (docs/events.md). */
    public static final String TYPE_HEADER = "ce_type";

    /** The name of every thread batches run on, before its number (statement-count tests pick them by it). */
    public static final String THREAD_NAME_PREFIX = "inbox-batch-";

    private static final Logger LOG = Logger.getLogger(BatchInbox.class);

    /**
     * What a consumer does with its new events. {@link #apply} is one event alone, in a transaction
     * of its own (the one-by-one replay of a failed batch); {@link #applyBatch} is a batch's, in
     * the batch's transaction, by default {@link #apply} for each as if alone.
     */
    public interface Handler {
        /** Whether a decoded event of a handled type needs the consumer (false: acknowledged, no row). */
        default boolean wants(CloudEvent event) {
            return true;
        }

        /** One new event, in the caller's transaction. */
        void apply(CloudEvent event);

        /**
         * A batch's new events (their ids claimed), in record order, in the batch's transaction.
         * Whatever it does, the outcome must be that of {@link #apply} for each in order, each
         * alone: a batch that fails is applied again that way. Override it for batch-wide work
         * before the events (one read for all, locks in one fixed order), for a shared persistence
         * context ({@link Steps#eachSharingContext}), or to apply them all at once.
         */
        default void applyBatch(List<CloudEvent> events, Steps steps) {
            steps.eachAlone(events, this::apply);
        }
    }

    /** How {@link Handler#applyBatch} may step through its events one by one, in the batch's transaction. */
    public static final class Steps {
        private final EntityManager em;

        Steps(EntityManager em) {
            this.em = em;
        }

        /**
         * Each event as it would be applied alone: applied, its writes flushed, the persistence
         * context cleared, so the next event reads afresh what it needs.
         */
        public void eachAlone(List<CloudEvent> events, Consumer<CloudEvent> apply) {
            each(events, apply, true);
        }

        /**
         * Each event applied and its writes flushed (they reach the database before the next event
         * runs, as alone), the persistence context kept: what earlier events loaded or persisted
         * stays managed for the later ones, which may use it instead of reading it again. The
         * handler then keeps every managed entity true to the database: no bulk or native
         * statement of its events may change the row of a managed entity behind its back (the next
         * flush would write the old values back).
         */
        public void eachSharingContext(List<CloudEvent> events, Consumer<CloudEvent> apply) {
            each(events, apply, false);
        }

        private void each(List<CloudEvent> events, Consumer<CloudEvent> apply, boolean clear) {
            for (CloudEvent event : events) {
                apply.accept(event);
                em.flush();
                if (clear) {
                    em.clear();
                }
            }
        }
    }

    private final EventInbox inbox;
    private final ProcessedEvents processed;
    private final EventCodec codec;
    private final Steps steps;
    private final Counter skipped;
    private final Counter fallbacks;
    /**
     * The threads batches run on: never the worker pool the service's HTTP requests share. There a
     * batch queued behind every request already waiting (up to hotline.max-writes-in-flight), so
     * under load the people's requests held automatic dispatch back by 20-40 s (docs/benchmarks.md,
     * session 29). One thread per batch in flight, about one per channel (SmallRye waits for a batch
     * before the next, which may start on another thread); a thread idle for a minute ends.
     */
    private final ExecutorService batchThreads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
            new SynchronousQueue<>(), new ThreadFactory() {
                private final AtomicInteger count = new AtomicInteger();

                @Override
                public Thread newThread(Runnable r) {
                    Thread t = new Thread(r, THREAD_NAME_PREFIX + count.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }
            });
    /** Set at the start of a graceful stop, before the persistence unit closes. */
    private volatile boolean stopping;

    public BatchInbox(EventInbox inbox, ProcessedEvents processed, EventCodec codec, EntityManager em,
            MeterRegistry registry) {
        this.inbox = inbox;
        this.processed = processed;
        this.codec = codec;
        this.steps = new Steps(em);
        this.skipped = Counter.builder("hotline.inbox.skipped")
                .description("Records of types this service does not handle, acknowledged without database work")
                .register(registry);
        this.fallbacks = Counter.builder("hotline.inbox.batch.fallbacks")
                .description("Batches that failed as a whole and were applied again event by event")
                .register(registry);
    }

    /** The service is stopping: from now on a failing batch is left for redelivery (public for tests). */
    public void stopping(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /**
     * Ends the consumers' threads once the connector has stopped handing out batches: a batch in
     * flight gets 10 s to finish, then its thread is interrupted (as Quarkus' worker pool did), so a
     * batch retrying without end (database away) stops, leaving its records for redelivery.
     */
    @PreDestroy
    void close() {
        batchThreads.shutdown();
        try {
            if (!batchThreads.awaitTermination(10, TimeUnit.SECONDS)) {
                batchThreads.shutdownNow();
            }
        } catch (InterruptedException e) {
            batchThreads.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * What a consumer method returns for a batch ({@code Uni<Void> consume(KafkaRecordBatch<String, String>)}):
     * the batch processed on a consumer thread of its own, off the connector's event loop. SmallRye
     * waits for it before handing over the channel's next batch, so batches are taken in order, one
     * at a time.
     */
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch, Predicate<String> handles, Handler handler) {
        return Uni.createFrom().<Void> item(() -> {
            process(batch, handles, handler);
            return null;
        }).runSubscriptionOn(batchThreads);
    }

    /**
     * Processes a batch; {@code handles} says, from the type alone, which types the consumer
     * handles. Every record of the batch ends acknowledged or dead-lettered, unless the thread is
     * interrupted (shutdown): then the rest stay unacknowledged and are redelivered.
     */
    public void process(KafkaRecordBatch<String, String> batch, Predicate<String> handles, Handler handler) {
        List<KafkaRecord<String, String>> records = batch.getRecords();
        RuntimeException[] failures = new RuntimeException[records.size()];
        List<Integer> wanted = new ArrayList<>();
        Map<String, CloudEvent> events = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            KafkaRecord<String, String> r = records.get(i);
            String type = typeHeader(r);
            if (type != null && !handles.test(type)) {
                skipped.increment();
                continue;
            }
            CloudEvent event;
            try {
                event = codec.decode(r.getPayload());
            } catch (PoisonEventException e) {
                failures[i] = e;
                continue;
            }
            if (!handles.test(event.type()) || !handler.wants(event)) {
                skipped.increment();
                continue;
            }
            wanted.add(i);
            events.putIfAbsent(event.id(), event); // a relay's replay within the batch: the first one counts
        }
        boolean complete = true;
        if (!events.isEmpty()) {
            try {
                QuarkusTransaction.requiringNew().run(() -> applyAll(List.copyOf(events.values()), handler));
            } catch (RuntimeException batchFailure) {
                if (stopping) {
                    LOG.infof("a batch of %d events failed while stopping (%s): left for redelivery", events.size(),
                            batchFailure.toString());
                    return; // nothing acknowledged, nothing dead-lettered: all of it comes again
                }
                fallbacks.increment();
                LOG.infof("a batch of %d events failed (%s): applying them one by one", events.size(),
                        batchFailure.toString());
                complete = oneByOne(records, wanted, failures, handler);
            }
        }
        settle(batch, records, failures, complete);
    }

    private void applyAll(List<CloudEvent> events, Handler handler) {
        Set<String> fresh = processed.firstDeliveries(events);
        List<CloudEvent> todo = events.stream().filter(e -> fresh.contains(e.id())).toList();
        if (!todo.isEmpty()) {
            handler.applyBatch(todo, steps);
        }
    }

    /** Returns false if stopped or interrupted before the end (shutdown). */
    private boolean oneByOne(List<KafkaRecord<String, String>> records, List<Integer> wanted,
            RuntimeException[] failures, Handler handler) {
        for (int i : wanted) {
            if (stopping) {
                LOG.infof("stopping in a batch of %s (partition %d): the rest is redelivered",
                        records.get(i).getTopic(), records.get(i).getPartition());
                return false;
            }
            try {
                inbox.process(records.get(i).getPayload(), handler::apply);
            } catch (PoisonEventException e) {
                failures[i] = e;
            } catch (RuntimeException e) {
                // only an interrupted retry gets here (EventInbox turns everything else into poison)
                LOG.warnf("stopped in a batch of %s (partition %d): %s; the rest is redelivered",
                        records.get(i).getTopic(), records.get(i).getPartition(), e.toString());
                return false;
            }
        }
        return true;
    }

    /**
     * Dead-letters the failed records, each on the topic before the next is looked at, then
     * acknowledges the batch (the connector commits each partition's latest record, which it
     * tracks; acknowledging the others one by one would pile up offsets it never releases). After
     * an interruption nothing more is acknowledged: the batch is redelivered and deduplicated.
     */
    private static void settle(KafkaRecordBatch<String, String> batch, List<KafkaRecord<String, String>> records,
            RuntimeException[] failures, boolean complete) {
        Set<KafkaRecord<String, String>> deadLettered = new java.util.HashSet<>();
        for (int i = 0; i < records.size(); i++) {
            if (failures[i] == null) {
                continue;
            }
            KafkaRecord<String, String> r = records.get(i);
            deadLettered.add(r);
            try {
                r.nack(failures[i]).toCompletableFuture().join();
            } catch (RuntimeException e) {
                LOG.errorf("could not dead-letter a record of %s (partition %d): %s", r.getTopic(), r.getPartition(),
                        e.toString());
            }
        }
        if (!complete) {
            return;
        }
        for (KafkaRecord<String, String> latest : batch.getLatestOffsetRecords().values()) {
            if (!deadLettered.contains(latest)) { // a dead-lettered record was acknowledged by the dead-letter strategy
                latest.ack();
            }
        }
    }

    private static String typeHeader(KafkaRecord<String, String> r) {
        Header h = r.getHeaders() == null ? null : r.getHeaders().lastHeader(TYPE_HEADER);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}

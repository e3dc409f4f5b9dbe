package org.hotline.backbone.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hotline.backbone.config.BackboneConfig;
import org.hotline.backbone.event.CloudEvent;
import org.hotline.backbone.worker.WakeableLoop;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.persistence.EntityManager;

/**
 * Publishes committed outbox rows to Kafka in {@code seq} order and marks them published.
 *
 * <p>One relay drains at a time across replicas (a transaction-scoped advisory lock), which keeps
 * one ticket's events in commit order. The producer is idempotent with acks=all; rows are marked
 * only after Kafka acknowledged them, so a crash in between republishes them on restart and
 * consumers drop the duplicate by event id. It wakes on every commit that wrote an event and polls
 * as a fallback, so a row left by a crashed instance is published too.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Advisory lock namespace ("outbox" in ASCII); the key adds the service name (services may share a database). */
    private static final long RELAY_LOCK_BASE = 0x6f7574626f78L << 16;

    private final EntityManager em;
    private final BackboneConfig config;
    private final Clock clock;
    private final Map<String, Object> kafkaConfig;
    private final WakeableLoop loop = new WakeableLoop("outbox-relay");
    private final Counter published;
    private final Counter failures;
    private final Timer lag;
    private final AtomicReference<Instant> lastSuccess = new AtomicReference<>();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    /** The creation time of the oldest unpublished event when last looked (null: none waited). */
    private final AtomicReference<Instant> oldestWaiting = new AtomicReference<>();
    private Instant nextWaitingCheck = Instant.EPOCH;

    private final long relayLock;
    private KafkaProducer<String, String> producer;
    private Instant nextCleanup = Instant.EPOCH;

    public OutboxRelay(EntityManager em, BackboneConfig config, Clock clock, MeterRegistry registry,
            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.em = em;
        this.config = config;
        this.clock = clock;
        this.kafkaConfig = kafkaConfig;
        this.relayLock = RELAY_LOCK_BASE ^ (config.serviceName().hashCode() & 0xffffffffL);
        this.published = Counter.builder("hotline.outbox.published").description("Outbox events published to Kafka")
                .register(registry);
        this.failures = Counter.builder("hotline.outbox.publish.failures")
                .description("Relay batches that failed and will be retried").register(registry);
        this.lag = Timer.builder("hotline.outbox.lag").description("Time from commit to Kafka acknowledgement")
                .publishPercentileHistogram().register(registry);
        // readiness no longer falls with Kafka (the outbox buffers), so this is what to alert on
        // the age is computed at each scrape from the last look, so it keeps growing if the relay stalls
        Gauge.builder("hotline.outbox.oldest.waiting", this, OutboxRelay::oldestWaitingSeconds).baseUnit("seconds")
                .description("Age of the oldest event not yet published to Kafka (0 when none waits)")
                .register(registry);
    }

    void start(@Observes StartupEvent ev) {
        if (!config.outbox().relayEnabled()) {
            LOG.warn("outbox relay disabled (hotline.outbox.relay-enabled=false): events stay in the outbox");
            return;
        }
        Map<String, Object> props = new HashMap<>(kafkaConfig);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, config.serviceName() + "-outbox-relay");
        producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        loop.start(new WakeableLoop.Step() {
            private Duration backoff = config.outbox().pollInterval();

            @Override
            public long run() {
                int sent = drainOnce();
                backoff = config.outbox().pollInterval();
                cleanupIfDue();
                measureWaitingIfDue();
                // a full batch means more is waiting: go again at once
                return sent < config.outbox().batchSize() ? config.outbox().pollInterval().toMillis() : 0;
            }

            @Override
            public long onFailure(RuntimeException e) {
                failures.increment();
                lastError.set(e.toString());
                LOG.warnf("outbox relay batch failed, retrying in %s: %s", backoff, e.toString());
                measureWaitingIfDue();
                long wait = backoff.toMillis();
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10)
                        : backoff.multipliedBy(2);
                return wait;
            }
        });
    }

    /** Wakes the relay as soon as a transaction that wrote events has committed. */
    void onCommit(@Observes(during = TransactionPhase.AFTER_SUCCESS) OutboxWritten written) {
        loop.wake();
    }

    /** Graceful shutdown: the batch in flight finishes and is marked before the producer closes. */
    void stop(@Observes ShutdownEvent ev) {
        if (producer == null) {
            return;
        }
        loop.stop(Duration.ofSeconds(10));
        producer.close(Duration.ofSeconds(5));
    }

    /** Publishes one batch; returns how many rows it published (0 when another replica holds the lock). */
    int drainOnce() {
        return QuarkusTransaction.requiringNew().call(() -> {
            Boolean leader = (Boolean) em.createNativeQuery("select pg_try_advisory_xact_lock(?1)")
                    .setParameter(1, relayLock).getSingleResult();
            if (!Boolean.TRUE.equals(leader)) {
                return 0;
            }
            // a projection, not entities: nothing to dirty-check, and one UPDATE marks the batch
            List<Object[]> batch = em.createQuery("select e.seq, e.topic, e.key, e.type, e.payload, e.createdAt"
                    + " from OutboxEvent e where e.publishedAt is null order by e.seq", Object[].class)
                    .setMaxResults(config.outbox().batchSize()).getResultList();
            if (batch.isEmpty()) {
                return 0;
            }
            List<Future<?>> acks = new ArrayList<>(batch.size());
            List<Long> seqs = new ArrayList<>(batch.size());
            for (Object[] row : batch) {
                ProducerRecord<String, String> record = new ProducerRecord<>((String) row[1], (String) row[2],
                        (String) row[4]);
                record.headers().add("content-type", CloudEvent.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
                record.headers().add("ce_type", ((String) row[3]).getBytes(StandardCharsets.UTF_8));
                acks.add(producer.send(record));
                seqs.add((Long) row[0]);
            }
            for (Future<?> ack : acks) {
                ack.get(30, TimeUnit.SECONDS);
            }
            Instant now = clock.instant();
            // an array parameter: one statement text whatever the batch size (an IN list is re-planned per size)
            em.createNativeQuery("update outbox_event set published_at = ?1 where seq = any(?2)")
                    .setParameter(1, now).setParameter(2, seqs.toArray(new Long[0])).executeUpdate();
            for (Object[] row : batch) {
                lag.record(Duration.between((Instant) row[5], now));
            }
            published.increment(batch.size());
            lastSuccess.set(now);
            lastError.set(null);
            return batch.size();
        });
    }

    private void cleanupIfDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextCleanup)) {
            return;
        }
        nextCleanup = now.plus(Duration.ofMinutes(10));
        QuarkusTransaction.requiringNew().run(() -> em
                .createQuery("delete from OutboxEvent where publishedAt < :before")
                .setParameter("before", now.minus(config.outbox().retention())).executeUpdate());
    }

    /** At most every 5 s, from the relay's thread: the gauge never queries on a scrape. */
    private void measureWaitingIfDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextWaitingCheck)) {
            return;
        }
        nextWaitingCheck = now.plusSeconds(5);
        try {
            oldestWaiting.set(oldestUnpublished());
        } catch (RuntimeException databaseDown) {
            // the gauge keeps its last value; the datasource's readiness check reports the database
        }
    }

    private double oldestWaitingSeconds() {
        Instant oldest = oldestWaiting.get();
        return oldest == null ? 0 : Math.max(0, Duration.between(oldest, clock.instant()).toSeconds());
    }

    /** The oldest event not yet published, for the health check and the gauge. */
    public Instant oldestUnpublished() {
        return QuarkusTransaction.requiringNew().call(() -> em
                .createQuery("select min(createdAt) from OutboxEvent where publishedAt is null", Instant.class)
                .getSingleResult());
    }

    public boolean running() {
        return loop.running();
    }

    public String lastError() {
        return lastError.get();
    }
}

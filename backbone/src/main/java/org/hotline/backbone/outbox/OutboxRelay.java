package org.hotline.backbone.outbox;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hotline.backbone.config.BackboneConfig;
import org.hotline.backbone.event.CloudEvent;
import org.hotline.backbone.jdbc.ShortTransaction;
import org.hotline.backbone.worker.WakeableLoop;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.agroal.api.AgroalDataSource;
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
 * consumers drop the duplicate by event id. It wakes on every commit that wrote an event (commits
 * less than {@code hotline.outbox.min-pass-interval} after a pass began wait and share the next one)
 * and polls as a fallback, so a row left by a crashed instance is published too.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Advisory lock namespace ("outbox" in ASCII); the key adds the service name (services may share a database). */
    private static final long RELAY_LOCK_BASE = 0x6f7574626f78L << 16;
    private static final byte[] CONTENT_TYPE = CloudEvent.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8);

    private final EntityManager em;
    private final AgroalDataSource dataSource;
    private final BackboneConfig config;
    private final Clock clock;
    private final Map<String, Object> kafkaConfig;
    private final WakeableLoop loop = new WakeableLoop("outbox-relay");
    private final Counter published;
    private final Counter passes;
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

    public OutboxRelay(EntityManager em, AgroalDataSource dataSource, BackboneConfig config, Clock clock,
            MeterRegistry registry, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.em = em;
        this.dataSource = dataSource;
        this.config = config;
        this.clock = clock;
        this.kafkaConfig = kafkaConfig;
        this.relayLock = RELAY_LOCK_BASE ^ (config.serviceName().hashCode() & 0xffffffffL);
        this.published = Counter.builder("hotline.outbox.published").description("Outbox events published to Kafka")
                .register(registry);
        this.passes = Counter.builder("hotline.outbox.passes")
                .description("Relay passes that published events (published / passes: events per pass)")
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
            /** System.nanoTime() at the last pass's start (a pacing interval, not a domain time: no Clock). */
            private long lastStart = System.nanoTime() - config.outbox().minPassInterval().toNanos();
            private boolean lastFull;

            @Override
            public long run() throws InterruptedException {
                // under load a pass per commit cost a transaction and a Kafka round trip per event or two:
                // wakes that come sooner than minPassInterval wait for it and share the next pass
                long early = config.outbox().minPassInterval().toNanos() - (System.nanoTime() - lastStart);
                if (early > 0 && !lastFull) {
                    TimeUnit.NANOSECONDS.sleep(early);
                }
                lastStart = System.nanoTime();
                loop.clearWakes(); // this pass reads every row committed so far, those of the wakes meanwhile too
                int sent = drainOnce();
                backoff = config.outbox().pollInterval();
                cleanupIfDue();
                measureWaitingIfDue();
                // a full batch means more is waiting: go again at once
                lastFull = sent >= config.outbox().batchSize();
                return lastFull ? 0 : config.outbox().pollInterval().toMillis();
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
        try {
            return ShortTransaction.run(dataSource, this::drain);
        } catch (SQLException e) {
            throw new IllegalStateException("outbox relay pass failed: " + e.getMessage(), e);
        }
    }

    /**
     * One pass in one transaction, in plain JDBC (it runs for nearly every commit at a low rate: a
     * JTA transaction and a Hibernate query per pass cost more of the service's CPU than its three
     * statements): the lock, the batch in seq order, the sends, and after Kafka's acknowledgements
     * one UPDATE that marks them.
     */
    private int drain(Connection c) throws SQLException {
        try (PreparedStatement lock = c.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
            lock.setLong(1, relayLock);
            try (ResultSet rs = lock.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return 0;
                }
            }
        }
        List<Future<?>> acks = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        List<Instant> created = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select seq, topic, event_key, type, payload, created_at"
                + " from outbox_event where published_at is null order by seq limit ?")) {
            ps.setInt(1, config.outbox().batchSize());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ProducerRecord<String, String> record = new ProducerRecord<>(rs.getString(2), rs.getString(3),
                            rs.getString(5));
                    record.headers().add("content-type", CONTENT_TYPE);
                    record.headers().add("ce_type", rs.getString(4).getBytes(StandardCharsets.UTF_8));
                    acks.add(producer.send(record));
                    seqs.add(rs.getLong(1));
                    created.add(rs.getObject(6, OffsetDateTime.class).toInstant());
                }
            }
        }
        if (seqs.isEmpty()) {
            return 0;
        }
        awaitAcks(acks);
        Instant now = clock.instant();
        // an array parameter: one statement text whatever the batch size (an IN list is re-planned per size)
        try (PreparedStatement ps = c.prepareStatement("update outbox_event set published_at = ? where seq = any(?)")) {
            ps.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
            ps.setArray(2, c.createArrayOf("bigint", seqs.toArray()));
            ps.executeUpdate();
        }
        for (Instant at : created) {
            lag.record(Duration.between(at, now));
        }
        published.increment(seqs.size());
        passes.increment();
        lastSuccess.set(now);
        lastError.set(null);
        return seqs.size();
    }

    /** Rows are marked only once Kafka has acknowledged every one of them. */
    private static void awaitAcks(List<Future<?>> acks) {
        try {
            for (Future<?> ack : acks) {
                ack.get(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka's acknowledgements", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge the batch: " + e.getMessage(), e);
        }
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

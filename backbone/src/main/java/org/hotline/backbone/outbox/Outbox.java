package org.hotline.backbone.outbox;

import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import org.hotline.backbone.config.BackboneConfig;
import org.hotline.backbone.event.EventCodec;
import org.hotline.backbone.worker.RowBatch;

import org.hibernate.Session;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * The only way a service emits an event: the event is a row written in the caller's transaction,
 * so it commits or rolls back with the state change that caused it (no dual write). The relay
 * publishes it afterwards.
 *
 * <p>Rows are written with plain JDBC, not as entities: the outbox is write-once, and a burst of
 * SLA firings writes thousands per second, where Hibernate's per-entity work and one IDENTITY round
 * trip per row were the measured bottleneck. Inside {@link #batch} they go in one JDBC batch.
 * {@code seq} still comes from the table's sequence at insert time, so one ticket's events (written
 * under that ticket's lock) are numbered in decision order even across replicas.
 */
@ApplicationScoped
public class Outbox {

    private final EventCodec codec;
    private final Clock clock;
    private final String source;
    private final Event<OutboxWritten> written;
    private final EntityManager em;
    private final RowBatch<OutboxEvent> writes = new RowBatch<>(this::insert);

    public Outbox(EventCodec codec, Clock clock, BackboneConfig config, Event<OutboxWritten> written,
            EntityManager em) {
        this.codec = codec;
        this.clock = clock;
        this.source = "/hotline/" + config.serviceName();
        this.written = written;
        this.em = em;
    }

    /**
     * Records an event about {@code subject} (a ticket id; also the Kafka key, so one ticket's
     * events stay in order). Must run inside the transaction of the state change.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public RecordedEvent publish(String topic, String type, String subject, Object data) {
        Instant now = clock.instant();
        UUID id = UUID.randomUUID();
        // the data encoded once, then wrapped: no JSON tree in between
        String dataJson = codec.encodeData(data);
        OutboxEvent row = new OutboxEvent();
        row.eventId = id;
        row.topic = topic;
        row.key = subject;
        row.type = type;
        row.payload = codec.encode(id.toString(), source, type, subject, now.toString(), dataJson);
        row.createdAt = now;
        writes.add(row);
        return new RecordedEvent(id, now, dataJson);
    }

    /** What {@link #publish} recorded: the event's id and time, and its data as the JSON it carries. */
    public record RecordedEvent(UUID id, Instant time, String data) {
    }

    /**
     * Runs {@code work} in the caller's transaction, writing every event it publishes in one JDBC
     * batch when it returns (in publish order). If it throws, nothing is written and the
     * transaction rolls back as usual.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public <T> T batch(Supplier<T> work) {
        return writes.batch(work);
    }

    private void insert(List<OutboxEvent> rows) {
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement ps = connection.prepareStatement("insert into outbox_event"
                    + " (event_id, topic, event_key, type, payload, created_at) values (?, ?, ?, ?, ?, ?)")) {
                for (OutboxEvent row : rows) {
                    ps.setObject(1, row.eventId);
                    ps.setString(2, row.topic);
                    ps.setString(3, row.key);
                    ps.setString(4, row.type);
                    ps.setString(5, row.payload);
                    ps.setObject(6, OffsetDateTime.ofInstant(row.createdAt, ZoneOffset.UTC));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
        // one wake-up per transaction part, not per event (each fire registers a synchronization)
        written.fire(new OutboxWritten(rows.get(0).topic));
    }
}

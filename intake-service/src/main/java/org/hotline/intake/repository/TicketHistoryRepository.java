package org.hotline.intake.repository;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import org.hibernate.Session;
import org.hotline.backbone.worker.RowBatch;
import org.hotline.intake.model.TicketHistory;

import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** Each ticket's history (every change, in order). */
@ApplicationScoped
public class TicketHistoryRepository {

    private record Entry(UUID ticketId, String type, UUID eventId, Instant occurredAt, String data) {
    }

    private final EntityManager em;
    private final RowBatch<Entry> writes = new RowBatch<>(this::insert);

    public TicketHistoryRepository(EntityManager em) {
        this.em = em;
    }

    /** A ticket's history entries, in the order they were written. */
    public List<TicketHistory> ofTicket(UUID ticketId) {
        return TicketHistory.list("ticketId", Sort.by("seq"), ticketId);
    }

    /**
     * A new entry ({@code data}: JSON; {@code eventId}: the published event's, null for an
     * intake-only entry), inserted now, or inside {@link #batch} when its work returns. Written
     * with plain JDBC, as the outbox rows are: the entry is write-once and nobody needs its
     * {@code seq} back, while persisting it as an IDENTITY entity cost a flush and a generated-key
     * round trip of its own per change (12.5 % of intake's CPU samples under load,
     * docs/benchmarks.md). {@code seq} still comes from the table's sequence at insert time, so one
     * ticket's entries (written under its lock, in the order added) stay in order across replicas.
     */
    public void add(UUID ticketId, String type, UUID eventId, Instant occurredAt, String data) {
        writes.add(new Entry(ticketId, type, eventId, occurredAt, data));
    }

    /**
     * Runs {@code work} in the caller's transaction, inserting every entry it adds in one JDBC batch
     * when it returns (in the order added); nothing if it throws. As {@code Outbox.batch}.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public <T> T batch(Supplier<T> work) {
        return writes.batch(work);
    }

    private void insert(List<Entry> entries) {
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement ps = connection.prepareStatement("insert into ticket_history"
                    + " (ticket_id, type, occurred_at, event_id, data) values (?, ?, ?, ?, ?)")) {
                for (Entry e : entries) {
                    ps.setObject(1, e.ticketId());
                    ps.setString(2, e.type());
                    ps.setObject(3, OffsetDateTime.ofInstant(e.occurredAt(), ZoneOffset.UTC));
                    ps.setObject(4, e.eventId());
                    ps.setString(5, e.data());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
    }
}

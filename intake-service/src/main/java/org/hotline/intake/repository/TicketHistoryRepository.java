package org.hotline.intake.repository;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.hibernate.Session;
import org.hotline.intake.model.TicketHistory;

import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/** Each ticket's history (every change, in order). */
@ApplicationScoped
public class TicketHistoryRepository {

    private final EntityManager em;

    public TicketHistoryRepository(EntityManager em) {
        this.em = em;
    }

    /** A ticket's history entries, in the order they were written. */
    public List<TicketHistory> ofTicket(UUID ticketId) {
        return TicketHistory.list("ticketId", Sort.by("seq"), ticketId);
    }

    /**
     * A new entry ({@code data}: JSON; {@code eventId}: the published event's, null for an
     * intake-only entry). Written with plain JDBC, as the outbox rows are: the entry is write-once
     * and nobody needs its {@code seq} back, while persisting it as an IDENTITY entity cost a
     * flush and a generated-key round trip of its own per change (12.5 % of intake's CPU samples
     * under load, docs/benchmarks.md). {@code seq} still comes from the table's sequence at insert
     * time, so one ticket's entries (written under its lock) stay in order across replicas.
     */
    public void add(UUID ticketId, String type, UUID eventId, Instant occurredAt, String data) {
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement ps = connection.prepareStatement("insert into ticket_history"
                    + " (ticket_id, type, occurred_at, event_id, data) values (?, ?, ?, ?, ?)")) {
                ps.setObject(1, ticketId);
                ps.setString(2, type);
                ps.setObject(3, OffsetDateTime.ofInstant(occurredAt, ZoneOffset.UTC));
                ps.setObject(4, eventId);
                ps.setString(5, data);
                ps.executeUpdate();
            }
        });
    }
}

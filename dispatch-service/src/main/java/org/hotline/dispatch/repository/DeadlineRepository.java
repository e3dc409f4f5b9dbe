package org.hotline.dispatch.repository;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.hibernate.Session;

import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/** The SLA service's stage deadlines as dispatch keeps them (ticket_deadline), to order its queue. */
@ApplicationScoped
public class DeadlineRepository {

    /** One stage's deadline of one round of a ticket. */
    public record Deadline(UUID ticketId, String stage, int round, Instant deadline) {
    }

    /**
     * Kept or replaced (a redelivery or an extension), any number in one statement; a deadline
     * that already has that value is left as it is (no new row version). Plain JDBC: no entity maps
     * the table, and a batch of SLA events writes several a ticket. The keys must be distinct.
     */
    private static final String UPSERT = "insert into ticket_deadline (ticket_id, stage, round, deadline)"
            + " select * from unnest(cast(? as uuid[]), cast(? as text[]), cast(? as int[]), cast(? as timestamptz[]))"
            + " on conflict (ticket_id, stage, round) do update set deadline = excluded.deadline"
            + " where ticket_deadline.deadline is distinct from excluded.deadline";

    private final EntityManager em;

    public DeadlineRepository(EntityManager em) {
        this.em = em;
    }

    /** These deadlines, kept or replaced, in one statement (distinct ticket, stage and round each). */
    public void upsert(Collection<Deadline> deadlines) {
        if (deadlines.isEmpty()) {
            return;
        }
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement ps = connection.prepareStatement(UPSERT)) {
                ps.setArray(1, connection.createArrayOf("text",
                        deadlines.stream().map(d -> d.ticketId().toString()).toArray(String[]::new)));
                ps.setArray(2, connection.createArrayOf("text", deadlines.stream().map(Deadline::stage).toArray(String[]::new)));
                ps.setArray(3, connection.createArrayOf("int4", deadlines.stream().map(Deadline::round).toArray(Integer[]::new)));
                ps.setArray(4, connection.createArrayOf("text",
                        deadlines.stream().map(d -> d.deadline().toString()).toArray(String[]::new)));
                ps.executeUpdate();
            }
        });
    }

    /** Every known deadline of these tickets, as rows (ticket_id, stage, round, deadline), one query. */
    @SuppressWarnings("unchecked")
    public List<Object[]> of(Collection<UUID> ticketIds) {
        return Panache.getEntityManager().createNativeQuery("select ticket_id, stage, round, deadline from ticket_deadline"
                + " where ticket_id = any(cast(?1 as uuid[]))")
                .setParameter(1, ticketIds.stream().map(UUID::toString).toArray(String[]::new)).getResultList();
    }
}

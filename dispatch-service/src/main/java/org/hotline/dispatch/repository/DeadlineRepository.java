package org.hotline.dispatch.repository;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;

/** The SLA service's stage deadlines as dispatch keeps them (ticket_deadline), to order its queue. */
@ApplicationScoped
public class DeadlineRepository {

    /** A stage's deadline, kept or replaced (a redelivery or an extension). */
    public void upsert(UUID ticketId, String stage, int round, Instant deadline) {
        Panache.getEntityManager().createNativeQuery("insert into ticket_deadline (ticket_id, stage, round, deadline) values (?1, ?2, ?3, ?4)"
                + " on conflict (ticket_id, stage, round) do update set deadline = excluded.deadline")
                .setParameter(1, ticketId).setParameter(2, stage).setParameter(3, round)
                .setParameter(4, deadline.atOffset(java.time.ZoneOffset.UTC)).executeUpdate();
    }

    /** Every known deadline of these tickets, as rows (ticket_id, stage, round, deadline), one query. */
    @SuppressWarnings("unchecked")
    public List<Object[]> of(Collection<UUID> ticketIds) {
        return Panache.getEntityManager().createNativeQuery("select ticket_id, stage, round, deadline from ticket_deadline"
                + " where ticket_id = any(cast(?1 as uuid[]))")
                .setParameter(1, ticketIds.stream().map(UUID::toString).toArray(String[]::new)).getResultList();
    }
}

package org.hotline.sla.repository;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;

/** Repeat reports (重复件) counted per ticket, as intake published them. */
@ApplicationScoped
public class TicketRepeatRepository {

    /** Records a repeat; false if it was recorded already (a redelivery under another event id). */
    public boolean add(UUID ticketId, UUID repeatId, Instant reportedAt, Instant at) {
        return Panache.getEntityManager().createNativeQuery("insert into ticket_repeat (ticket_id, repeat_id,"
                + " reported_at, recorded_at) values (?1, ?2, ?3, ?4) on conflict do nothing").setParameter(1, ticketId)
                .setParameter(2, repeatId).setParameter(3, reportedAt).setParameter(4, at).executeUpdate() > 0;
    }

    public void remove(UUID ticketId, UUID repeatId) {
        Panache.getEntityManager().createNativeQuery("delete from ticket_repeat where ticket_id = ?1 and repeat_id = ?2")
                .setParameter(1, ticketId).setParameter(2, repeatId).executeUpdate();
    }

    /** Repeats per ticket, for the tickets that have any. */
    @SuppressWarnings("unchecked")
    public java.util.Map<UUID, Integer> counts(java.util.List<UUID> ticketIds) {
        java.util.Map<UUID, Integer> out = new java.util.HashMap<>();
        for (Object[] row : (java.util.List<Object[]>) Panache.getEntityManager().createNativeQuery(
                "select ticket_id, count(*) from ticket_repeat where ticket_id = any(?1) group by ticket_id")
                .setParameter(1, ticketIds.toArray(UUID[]::new)).getResultList()) {
            out.put((UUID) row[0], ((Number) row[1]).intValue());
        }
        return out;
    }

    public int count(UUID ticketId) {
        return ((Number) Panache.getEntityManager().createNativeQuery(
                "select count(*) from ticket_repeat where ticket_id = ?1").setParameter(1, ticketId).getSingleResult())
                .intValue();
    }
}

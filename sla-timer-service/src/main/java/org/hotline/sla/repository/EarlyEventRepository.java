package org.hotline.sla.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Events about a ticket whose clocks are not armed yet, parked until its ticket.received arrives;
 * and the per-ticket advisory lock that makes parking and arming take turns.
 */
@ApplicationScoped
public class EarlyEventRepository {

    /** Holds the ticket's arrival lock until the transaction ends. */
    public void lockArrivals(UUID ticketId) {
        Panache.getEntityManager().createNativeQuery("select pg_advisory_xact_lock(hashtext(?1))")
                .setParameter(1, ticketId.toString()).getSingleResult();
    }

    /**
     * Holds the arrival locks of several tickets until the transaction ends, taken in lock-key
     * order in one statement, so two transactions locking overlapping sets never deadlock.
     */
    public void lockArrivals(Collection<UUID> ticketIds) {
        if (ticketIds.isEmpty()) {
            return;
        }
        Panache.getEntityManager().createNativeQuery("select count(*) from (select pg_advisory_xact_lock(k.key)"
                + " from (select distinct hashtext(t) as key from unnest(cast(?1 as text[])) as t order by 1) k) l")
                .setParameter(1, ticketIds.stream().map(UUID::toString).toArray(String[]::new)).getSingleResult();
    }

    public void park(UUID ticketId, String type, String payload, Instant at) {
        Panache.getEntityManager().createNativeQuery("insert into early_event (ticket_id, event_type, payload,"
                + " received_at) values (?1, ?2, ?3, ?4)").setParameter(1, ticketId).setParameter(2, type)
                .setParameter(3, payload).setParameter(4, at).executeUpdate();
    }

    /**
     * The ticket's parked events (encoded), in arrival order, removed from the parking: the
     * one-by-one path's unparking (a batch unparks all its tickets at once, below).
     */
    public List<String> unpark(UUID ticketId) {
        return unpark(List.of(ticketId)).getOrDefault(ticketId, List.of());
    }

    /**
     * The parked events (encoded) of several tickets, each ticket's in arrival order, removed from
     * the parking in one statement; a ticket with nothing parked is absent from the map.
     */
    @SuppressWarnings("unchecked")
    public Map<UUID, List<String>> unpark(Collection<UUID> ticketIds) {
        if (ticketIds.isEmpty()) {
            return Map.of();
        }
        List<Object[]> rows = Panache.getEntityManager().createNativeQuery(
                "delete from early_event where ticket_id = any(cast(?1 as uuid[])) returning ticket_id, id, payload")
                .setParameter(1, ticketIds.stream().map(UUID::toString).toArray(String[]::new)).getResultList();
        Map<UUID, List<String>> parked = new HashMap<>();
        rows.stream().sorted(Comparator.comparingLong(r -> ((Number) r[1]).longValue()))
                .forEach(r -> parked.computeIfAbsent(r[0] instanceof UUID u ? u : UUID.fromString(r[0].toString()),
                        t -> new ArrayList<>()).add((String) r[2]));
        return parked;
    }
}

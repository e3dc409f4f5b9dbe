package org.hotline.dispatch.repository;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.hotline.backbone.jdbc.JdbcSelect;
import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.model.Stage;

import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/** Dispatch's copy of each ticket (dispatch_ticket): reads, the ticket lock, the ack worker's claim. */
@ApplicationScoped
public class TicketRepository {

    /** The ticket, or null. */
    public DispatchTicket find(UUID id) {
        return DispatchTicket.findById(id);
    }

    /** The ticket row locked for the transaction (every transition takes it first), or null. */
    public DispatchTicket lock(UUID id) {
        return DispatchTicket.findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * The assignment's ticket, its row locked as {@link #lock} locks it, or null when there is no
     * such assignment: one statement where finding the assignment first took two.
     */
    public DispatchTicket lockOfAssignment(UUID assignmentId) {
        List<DispatchTicket> found = Panache.getEntityManager()
                .createQuery("select t from DispatchTicket t where t.id = (select a.ticketId from Assignment a where a.id = ?1)",
                        DispatchTicket.class)
                .setParameter(1, assignmentId).setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
        return found.isEmpty() ? null : found.get(0);
    }

    /** Which of these tickets exist, in one query (an array parameter: one statement text whatever their number). */
    public Set<UUID> existing(Collection<UUID> ids) {
        Set<UUID> found = new HashSet<>();
        for (Object[] row : JdbcSelect.rows(Panache.getEntityManager(),
                "select id from dispatch_ticket where id = any(cast(? as uuid[]))",
                (Object) ids.stream().map(UUID::toString).toArray(String[]::new))) {
            found.add((UUID) row[0]);
        }
        return found;
    }

    /** The tickets in these stages; {@code street} null: every street's. */
    public List<DispatchTicket> inStages(String street, Set<Stage> stages) {
        return street == null ? DispatchTicket.list("stage in ?1", stages)
                : DispatchTicket.list("street = ?1 and stage in ?2", street, stages);
    }

    /**
     * One ticket with a lead offer past its acknowledgement deadline, its row locked (FOR UPDATE
     * SKIP LOCKED: restart-safe, replicas share); null: none due.
     */
    public UUID claimLapsedOffer(Instant now) {
        List<Object[]> ids = JdbcSelect.rows(Panache.getEntityManager(), "select t.id from dispatch_ticket t where exists"
                + " (select 1 from assignment a where a.ticket_id = t.id and a.status = 'OFFERED' and a.role = 'LEAD'"
                + " and a.ack_deadline <= ?) limit 1 for update of t skip locked", now);
        return ids.isEmpty() ? null : (UUID) ids.get(0)[0];
    }

    /** Re-reads an entity from the database (what it said before a lock was taken may be stale). */
    public <T> T refresh(T entity) {
        Panache.getEntityManager().refresh(entity);
        return entity;
    }
}

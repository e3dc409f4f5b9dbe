package org.hotline.dispatch.repository;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.hibernate.query.NativeQuery;
import org.hotline.backbone.jdbc.JdbcSelect;
import org.hotline.dispatch.model.Assignment;
import org.hotline.dispatch.model.AssignmentRole;
import org.hotline.dispatch.model.AssignmentStatus;

import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;

/** Assignments (a unit's order on a ticket): the open ones, the lead, pending returns, a unit's list. */
@ApplicationScoped
public class AssignmentRepository {

    /** Where an assignment belongs: its ticket, the ticket's street, its unit. */
    public record Place(UUID ticketId, String street, String unitId) {
    }

    public Assignment find(UUID id) {
        return Assignment.findById(id);
    }

    /**
     * The assignment's ticket, street and unit, read as plain values (null: no such assignment). Plain
     * JDBC: every field action and assignment-scoped command reads it first, before it changes
     * anything, and Hibernate's query path around it was 7 % of dispatch's request threads under the
     * end-to-end load (issue 18, item 2). None of the three values changes once written.
     */
    public Place place(UUID assignmentId) {
        List<Object[]> row = JdbcSelect.rows(Assignment.getEntityManager(), "select a.ticket_id, t.street, a.unit_id"
                + " from assignment a join dispatch_ticket t on t.id = a.ticket_id where a.id = ?", assignmentId);
        return row.isEmpty() ? null : new Place((UUID) row.get(0)[0], (String) row.get(0)[1], (String) row.get(0)[2]);
    }

    /** Every assignment of the ticket, oldest first. */
    public List<Assignment> ofTicket(UUID ticketId) {
        return Assignment.list("ticketId = ?1 order by createdAt, id", ticketId);
    }

    public Assignment openLead(UUID ticketId) {
        return Assignment.<Assignment>find("ticketId = ?1 and role = ?2 and status in " + AssignmentStatus.OPEN_HQL,
                ticketId, AssignmentRole.LEAD).firstResult();
    }

    public List<Assignment> open(UUID ticketId) {
        return Assignment.list("ticketId = ?1 and status in " + AssignmentStatus.OPEN_HQL + " order by createdAt",
                ticketId);
    }

    public List<Assignment> pendingReturns(UUID ticketId) {
        return Assignment.list("ticketId = ?1 and status = ?2 and returnDecision is null", ticketId,
                AssignmentStatus.RETURNED);
    }

    /** Every lead assignment the ticket had, whatever became of it. */
    public List<Assignment> leads(UUID ticketId) {
        return Assignment.list("ticketId = ?1 and role = ?2", ticketId, AssignmentRole.LEAD);
    }

    /** A unit's open assignments (its load) and how many of them are on one ticket. */
    public record UnitLoad(long open, long onTicket) {
    }

    /**
     * The unit's open assignments and those of them on the ticket, in one statement (the capacity
     * check and the "already works it" check read the same rows).
     */
    public UnitLoad openOfUnit(String unitId, UUID ticketId) {
        // native SQL: as HQL, with the ticket id in its select clause, Hibernate inlined the parameter
        // and so translated the query again on every execution (half of this query's CPU, 5 % of
        // dispatch's under load: docs/benchmarks.md). Synchronized with Assignment: the assignments
        // this transaction made are flushed before it counts, as for the HQL query.
        Object[] row = (Object[]) Assignment.getEntityManager().createNativeQuery("select count(*),"
                + " count(*) filter (where ticket_id = ?2) from assignment where unit_id = ?1 and status in "
                + AssignmentStatus.OPEN_SQL).unwrap(NativeQuery.class).addSynchronizedEntityClass(Assignment.class)
                .setParameter(1, unitId).setParameter(2, ticketId).getSingleResult();
        return new UnitLoad(((Number) row[0]).longValue(), ((Number) row[1]).longValue());
    }

    /** The ticket's lead offer past its acknowledgement deadline, if any. */
    public Assignment lapsedLeadOffer(UUID ticketId, Instant now) {
        return Assignment.<Assignment>find("ticketId = ?1 and role = ?2 and status = ?3 and ackDeadline <= ?4",
                ticketId, AssignmentRole.LEAD, AssignmentStatus.OFFERED, now).firstResult();
    }

    /** When the next lead offer falls due (null: none pending). */
    public Instant nextAckDeadline() {
        return Panache.getEntityManager().createQuery(
                "select min(a.ackDeadline) from Assignment a where a.status = :s and a.role = :r", Instant.class)
                .setParameter("s", AssignmentStatus.OFFERED).setParameter("r", AssignmentRole.LEAD)
                .getSingleResult();
    }

    /** The lead assignments open or returned awaiting the dispatcher, of these tickets (the queue's lead column). */
    public List<Assignment> workingOrReturnedLeads(List<UUID> ticketIds) {
        return Assignment.list("ticketId in ?1 and role = ?2 and (status in ?3 or "
                + "(status = ?4 and returnDecision is null)) order by createdAt", ticketIds, AssignmentRole.LEAD,
                AssignmentStatus.OPEN, AssignmentStatus.RETURNED);
    }

    /**
     * The same for one ticket: no collection parameter, so Hibernate translates this query once
     * (it runs on every change).
     */
    public List<Assignment> workingOrReturnedLeads(UUID ticketId) {
        return Assignment.list("ticketId = ?1 and role = ?2 and (status in "
                + AssignmentStatus.OPEN_HQL + " or (status = ?3 and returnDecision is null)) order by createdAt",
                ticketId, AssignmentRole.LEAD, AssignmentStatus.RETURNED);
    }

    /** The unit's assignments: open ones and returns awaiting the dispatcher, oldest first; or all, newest first. */
    public List<Assignment> ofUnit(String unitId, boolean all) {
        return all ? Assignment.list("unitId = ?1 order by createdAt desc", unitId)
                : Assignment.list("unitId = ?1 and (status in ?2 or (status = ?3 and returnDecision is null))"
                        + " order by createdAt", unitId, AssignmentStatus.OPEN, AssignmentStatus.RETURNED);
    }
}

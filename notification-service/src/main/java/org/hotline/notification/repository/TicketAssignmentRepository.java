package org.hotline.notification.repository;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.hibernate.Session;
import org.hotline.notification.model.TicketAssignment;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The orders each ticket's units got (assignment.created), by assignment id. Read and written with
 * plain JDBC in the consumer's transaction, a batch of events at a time (ProjectionService): a
 * statement per read of each event's ticket, and Hibernate's entity work around it, were most of
 * the consumer's statements.
 */
@ApplicationScoped
public class TicketAssignmentRepository implements PanacheRepositoryBase<TicketAssignment, UUID> {

    private static final String COLUMNS = "assignment_id, ticket_id, unit_id, role, street, category, address, active,"
            + " notify_member_ids, created_at";

    /**
     * Every order of these tickets and of the tickets of these orders, in one statement: a ticket
     * is always read whole, so what is read of it can answer any question about it.
     */
    public List<TicketAssignment> ofTickets(Collection<UUID> tickets, Collection<UUID> assignmentIds) {
        return getEntityManager().unwrap(Session.class).doReturningWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from ticket_assignment"
                    + " where ticket_id = any(array(select unnest(cast(? as uuid[])) union"
                    + " select ticket_id from ticket_assignment where assignment_id = any(cast(? as uuid[]))))")) {
                ps.setArray(1, TextArrays.of(c, tickets, t -> t));
                ps.setArray(2, TextArrays.of(c, assignmentIds, t -> t));
                List<TicketAssignment> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        TicketAssignment t = new TicketAssignment();
                        t.assignmentId = rs.getObject(1, UUID.class);
                        t.ticketId = rs.getObject(2, UUID.class);
                        t.unitId = rs.getString(3);
                        t.role = rs.getString(4);
                        t.street = rs.getString(5);
                        t.category = rs.getString(6);
                        t.address = rs.getString(7);
                        t.active = rs.getBoolean(8);
                        t.notifyMemberIds = rs.getString(9);
                        t.createdAt = rs.getObject(10, OffsetDateTime.class).toInstant();
                        out.add(t);
                    }
                }
                return out;
            }
        });
    }

    /** New orders, in one statement; one already there (the same order again) is left as it is. */
    public void insert(List<TicketAssignment> created) {
        if (created.isEmpty()) {
            return;
        }
        getEntityManager().unwrap(Session.class).doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("insert into ticket_assignment (" + COLUMNS + ")"
                    + " select * from unnest(cast(? as uuid[]), cast(? as uuid[]), cast(? as text[]), cast(? as text[]),"
                    + " cast(? as text[]), cast(? as text[]), cast(? as text[]), cast(? as boolean[]), cast(? as text[]),"
                    + " cast(? as timestamptz[])) on conflict (assignment_id) do nothing")) {
                ps.setArray(1, TextArrays.of(c, created, t -> t.assignmentId));
                ps.setArray(2, TextArrays.of(c, created, t -> t.ticketId));
                ps.setArray(3, TextArrays.of(c, created, t -> t.unitId));
                ps.setArray(4, TextArrays.of(c, created, t -> t.role));
                ps.setArray(5, TextArrays.of(c, created, t -> t.street));
                ps.setArray(6, TextArrays.of(c, created, t -> t.category));
                ps.setArray(7, TextArrays.of(c, created, t -> t.address));
                ps.setArray(8, TextArrays.of(c, created, t -> t.active));
                ps.setArray(9, TextArrays.of(c, created, t -> t.notifyMemberIds));
                ps.setArray(10, TextArrays.of(c, created, t -> t.createdAt));
                ps.executeUpdate();
            }
        });
    }

    /** Orders that stopped or started again handling their tickets, in one statement. */
    public void setActive(Map<UUID, Boolean> active) {
        if (active.isEmpty()) {
            return;
        }
        getEntityManager().unwrap(Session.class).doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement("update ticket_assignment t set active = u.active"
                    + " from unnest(cast(? as uuid[]), cast(? as boolean[])) as u(id, active) where t.assignment_id = u.id")) {
                ps.setArray(1, TextArrays.of(c, active.keySet(), id -> id));
                ps.setArray(2, TextArrays.of(c, active.values(), a -> a));
                ps.executeUpdate();
            }
        });
    }
}

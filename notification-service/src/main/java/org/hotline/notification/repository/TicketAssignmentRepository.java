package org.hotline.notification.repository;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.hotline.notification.model.TicketAssignment;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** The orders each ticket's units got (assignment.created), by assignment id. */
@ApplicationScoped
public class TicketAssignmentRepository implements PanacheRepositoryBase<TicketAssignment, UUID> {

    /** The ticket's latest active LEAD order. */
    public Optional<TicketAssignment> activeLead(UUID ticketId) {
        return find("ticketId = ?1 and active = true and role = 'LEAD' order by createdAt desc", ticketId).firstResultOptional();
    }

    /** The ticket's active orders, oldest first. */
    public List<TicketAssignment> active(UUID ticketId) {
        return list("ticketId = ?1 and active = true order by createdAt", ticketId);
    }

    /** The ticket's latest order, active or not. */
    public Optional<TicketAssignment> latest(UUID ticketId) {
        return find("ticketId = ?1 order by createdAt desc", ticketId).firstResultOptional();
    }

    /** The unit's latest order of the ticket, active or not. */
    public Optional<TicketAssignment> latestOfUnit(UUID ticketId, String unitId) {
        return find("ticketId = ?1 and unitId = ?2 order by createdAt desc", ticketId, unitId).firstResultOptional();
    }
}

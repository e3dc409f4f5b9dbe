package org.hotline.notification.model;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Which units handle a ticket (from assignment.created), so ticket-level events reach them. */
@Entity
@Table(name = "ticket_assignment")
public class TicketAssignment extends PanacheEntityBase {

    @Id
    @Column(name = "assignment_id")
    public UUID assignmentId;

    @Column(name = "ticket_id", nullable = false)
    public UUID ticketId;

    @Column(name = "unit_id", nullable = false)
    public String unitId;

    /** LEAD or ASSIST */
    @Column(nullable = false)
    public String role;

    public String street;

    public String category;

    public String address;

    /** false once withdrawn (re-dispatch, cancel), lapsed or returned; true again when a return is rejected. */
    public boolean active;

    /**
     * The members dispatch named to tell of this order (JSON array of member ids); null: the order's
     * event predates the field, every member of the unit is told.
     */
    @Column(name = "notify_member_ids", columnDefinition = "text")
    public String notifyMemberIds;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}

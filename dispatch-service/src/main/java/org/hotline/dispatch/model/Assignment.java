package org.hotline.dispatch.model;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One unit's order for one ticket. */
@Entity
@Table(name = "assignment")
public class Assignment extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "ticket_id", nullable = false)
    public UUID ticketId;

    @Column(name = "unit_id", nullable = false)
    public String unitId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public AssignmentRole role;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public AssignmentStatus status;

    /** True when the top recommendation was dispatched without a dispatcher's choice. */
    @Column(nullable = false)
    public boolean automatic;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public AssignmentReason reason;

    /** The unit was the top recommendation when assigned. */
    @Column(nullable = false)
    public boolean recommended;

    @Column(name = "created_by")
    public String createdBy;

    /** Set on every assignment of one "whistle" (吹哨): the departments summoned together. */
    @Column(name = "summon_id")
    public UUID summonId;

    /** A lead offer not acknowledged by then passes to the next unit. */
    @Column(name = "ack_deadline")
    public Instant ackDeadline;

    @Column(name = "acked_at")
    public Instant ackedAt;

    @Column(name = "acked_by")
    public String ackedBy;

    @Column(name = "arrived_at")
    public Instant arrivedAt;

    @Column(name = "arrived_by")
    public String arrivedBy;

    @Column(name = "arrival_latitude")
    public Double arrivalLatitude;

    @Column(name = "arrival_longitude")
    public Double arrivalLongitude;

    @Column(name = "arrival_distance_m")
    public Double arrivalDistanceMeters;

    /** Arrival reported farther than dispatch.arrival.max-distance from the ticket's location. */
    @Column(name = "arrival_flagged", nullable = false)
    public boolean arrivalFlagged;

    @Column(name = "resolved_at")
    public Instant resolvedAt;

    @Column(name = "resolved_by")
    public String resolvedBy;

    public String outcome;
    public String note;

    @Column(name = "returned_at")
    public Instant returnedAt;

    @Column(name = "returned_by")
    public String returnedBy;

    @Column(name = "return_reason_code")
    public String returnReasonCode;

    @Column(name = "return_note")
    public String returnNote;

    /** ACCEPTED (re-dispatched) or REJECTED (back to the unit); null while pending. */
    @Column(name = "return_decision")
    public String returnDecision;

    @Column(name = "return_decided_by")
    public String returnDecidedBy;

    @Column(name = "return_decided_at")
    public Instant returnDecidedAt;

    /** When it left the open states for LAPSED or WITHDRAWN, and why. */
    @Column(name = "ended_at")
    public Instant endedAt;

    @Column(name = "ended_reason")
    public String endedReason;
}

package org.hotline.dispatch.model;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A field team's request for more time (延期) and the supervisor's decision; kept as the audit record. */
@Entity
@Table(name = "extension_request")
public class ExtensionRequest extends PanacheEntityBase {

    public enum Status {
        PENDING, APPROVED, DENIED
    }

    @Id
    public UUID id;

    @Column(name = "ticket_id", nullable = false)
    public UUID ticketId;

    @Column(name = "assignment_id", nullable = false)
    public UUID assignmentId;

    /** The SLA stage whose deadline moves (RESPOND, DISPATCH_CONTACT, ON_SCENE, RESOLVE). */
    @Column(nullable = false)
    public String stage;

    @Column(nullable = false)
    public String reason;

    @Column(name = "proposed_deadline", nullable = false)
    public Instant proposedDeadline;

    @Column(name = "requested_by", nullable = false)
    public String requestedBy;

    @Column(name = "requested_at", nullable = false)
    public Instant requestedAt;

    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    @Column(nullable = false)
    public Status status;

    @Column(name = "decided_by")
    public String decidedBy;

    @Column(name = "decided_at")
    public Instant decidedAt;

    @Column(name = "decision_note")
    public String decisionNote;

    /** The deadline the approval moved the stage to. */
    @Column(name = "approved_deadline")
    public Instant approvedDeadline;
}

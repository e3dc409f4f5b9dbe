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
import jakarta.persistence.Version;

/** Dispatch's own copy of a ticket, built from ticket.received (no caller personal data). */
@Entity
@Table(name = "dispatch_ticket")
public class DispatchTicket extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String street;

    public String grid;

    @Column(nullable = false)
    public String category;

    @Column(nullable = false)
    public String complexity;

    @Column(nullable = false)
    public String address;

    public Double latitude;
    public Double longitude;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Stage stage;

    @Column(name = "reported_at", nullable = false)
    public Instant reportedAt;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    /** 签收: when the command room took it, and who. */
    @Column(name = "taken_at")
    public Instant takenAt;

    @Column(name = "taken_by")
    public String takenBy;

    @Column(name = "dispatched_at")
    public Instant dispatchedAt;

    @Column(name = "caller_contacted_at")
    public Instant callerContactedAt;

    @Column(name = "caller_contacted_by")
    public String callerContactedBy;

    /** Masked caller phone (138****5678) from ticket.received, for the field team's assignment. */
    @Column(name = "caller_phone_masked")
    public String callerPhoneMasked;

    /** First arrival of the lead unit: ended ON_SCENE. */
    @Column(name = "on_scene_at")
    public Instant onSceneAt;

    /** The lead unit reported the result (办结): ended RESOLVE. */
    @Column(name = "resolved_at")
    public Instant resolvedAt;

    @Column(name = "closed_at")
    public Instant closedAt;

    @Column(name = "closed_by")
    public String closedBy;

    @Column(name = "cancelled_at")
    public Instant cancelledAt;

    /** How many times units returned it (退单): more than the threshold is ping-pong. */
    @Column(name = "return_count", nullable = false)
    public int returnCount;

    /** 0, then 1, 2... after each reopening. */
    @Column(nullable = false)
    public int round;

    @Version
    public long version;
}

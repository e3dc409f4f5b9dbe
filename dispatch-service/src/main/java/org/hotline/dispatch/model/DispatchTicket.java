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

    @Version
    public long version;
}

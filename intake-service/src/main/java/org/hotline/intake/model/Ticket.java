package org.hotline.intake.model;

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

/** A citizen's request as received. Caller name and phone are personal data. */
@Entity
@Table(name = "ticket")
public class Ticket extends PanacheEntityBase {

    @Id
    public UUID id;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Source source;

    @Column(name = "caller_name", nullable = false)
    public String callerName;

    @Column(name = "caller_phone", nullable = false)
    public String callerPhone;

    @Column(nullable = false)
    public String address;

    public Double latitude;
    public Double longitude;

    @Column(nullable = false)
    public String street;

    public String grid;

    @Column(nullable = false)
    public String category;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Complexity complexity;

    @Column(nullable = false, columnDefinition = "text")
    public String description;

    @Column(name = "upstream_ref")
    public String upstreamRef;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public TicketStatus status;

    /** When the citizen reported it: the clocks start here, not at arrival. */
    @Column(name = "reported_at", nullable = false)
    public Instant reportedAt;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    @Column(name = "cancel_reason")
    public String cancelReason;

    @Column(name = "cancelled_at")
    public Instant cancelledAt;

    /** Active repeat reports (重复件) recorded against this ticket. */
    @Column(name = "repeat_count", nullable = false)
    public int repeatCount;

    @Version
    public long version;

    /** Open: a new report about the same matter is a repeat of it. */
    public boolean isOpen() {
        return status == TicketStatus.RECEIVED || status == TicketStatus.REOPENED;
    }
}

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

/**
 * 重复件: a report that matched an open ticket. It keeps the whole report, so an operator's
 * "not a repeat" can turn it into a ticket of its own (with this id).
 */
@Entity
@Table(name = "repeat_report")
public class RepeatReport extends PanacheEntityBase {

    public enum Status { ACTIVE, OVERRIDDEN }

    @Id
    public UUID id;

    @Column(name = "ticket_id", nullable = false)
    public UUID ticketId;

    @Enumerated(EnumType.STRING)
    @Column(name = "matched_by", nullable = false)
    public MatchedBy matchedBy;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Status status;

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

    @Column(name = "reported_at", nullable = false)
    public Instant reportedAt;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    @Column(name = "overridden_by")
    public String overriddenBy;

    @Column(name = "override_reason")
    public String overrideReason;

    @Column(name = "overridden_at")
    public Instant overriddenAt;
}

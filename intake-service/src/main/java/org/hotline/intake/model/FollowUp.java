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

/** 回访: one follow-up call. */
@Entity
@Table(name = "follow_up")
public class FollowUp extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "ticket_id", nullable = false)
    public UUID ticketId;

    @Column(nullable = false)
    public boolean reached;

    @Enumerated(EnumType.STRING)
    public Satisfaction satisfaction;

    @Column(columnDefinition = "text")
    public String comment;

    @Column(name = "recorded_at", nullable = false)
    public Instant recordedAt;
}

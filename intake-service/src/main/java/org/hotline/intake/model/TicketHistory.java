package org.hotline.intake.model;

import java.time.Instant;
import java.util.UUID;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One entry of a ticket's history, written in the transaction of the change it records. */
@Entity
@Table(name = "ticket_history")
public class TicketHistory extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;

    @Column(name = "ticket_id", nullable = false)
    public UUID ticketId;

    /** The event type published for the change, or an intake-only entry such as follow-up.recorded. */
    @Column(nullable = false)
    public String type;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    /** The published event's id; null for intake-only entries. */
    @Column(name = "event_id")
    public UUID eventId;

    /** JSON: the event's data (no caller name or phone) or the intake-only entry's details. */
    @Column(nullable = false, columnDefinition = "text")
    public String data;
}

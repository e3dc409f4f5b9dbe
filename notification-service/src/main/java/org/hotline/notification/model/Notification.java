package org.hotline.notification.model;

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
 * One message to one recipient on one channel, because of one event; also the delivery record
 * (status, attempts, last error, next attempt). Unique per (event, recipient, channel), so a
 * redelivered event cannot create a second one.
 */
@Entity
@Table(name = "notification")
public class Notification extends PanacheEntityBase {

    @Id
    public UUID id;

    /** Insertion order: the order in which the ticket's events were consumed. */
    @Column(insertable = false, updatable = false)
    public Long seq;

    @Column(name = "ticket_id", nullable = false)
    public UUID ticketId;

    @Column(name = "event_id", nullable = false)
    public String eventId;

    @Column(name = "event_type", nullable = false)
    public String eventType;

    /** When the event happened (its CloudEvents time): delivery latency counts from here. */
    @Column(name = "event_time", nullable = false)
    public Instant eventTime;

    public String street;

    /** e.g. member:wk-grid-03/m-001, person:wk-zhang, unit:wk-grid-03, room:wukang */
    @Column(nullable = false)
    public String recipient;

    @Column(name = "recipient_name")
    public String recipientName;

    @Column(name = "recipient_role")
    public String recipientRole;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Channel channel;

    /** Phone (SMS), URL (WEBHOOK) or street (CONSOLE). */
    public String address;

    @Column(nullable = false, columnDefinition = "text")
    public String text;

    /** The JSON a channel sends (webhook body, SMS params). */
    @Column(columnDefinition = "text")
    public String body;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public DeliveryStatus status;

    public int attempts;

    @Column(name = "last_error", columnDefinition = "text")
    public String lastError;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    /** {@link #URGENT} rows are claimed before every {@link #ROUTINE} one that is due. */
    public short priority = ROUTINE;

    /** The delivery worker's claim that owns the row now (fencing: a stale claim changes nothing). */
    @Column(name = "claim_token")
    public UUID claimToken;

    @Column(name = "last_attempt_at")
    public Instant lastAttemptAt;

    @Column(name = "sent_at")
    public Instant sentAt;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** A row of an event type in {@code notification.delivery.urgent-types}: a unit's order, say. */
    public static final short URGENT = 0;
    public static final short ROUTINE = 1;
}

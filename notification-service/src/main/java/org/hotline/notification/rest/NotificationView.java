package org.hotline.notification.rest;

import java.time.Instant;
import java.util.UUID;

import org.hotline.notification.delivery.Delivery;
import org.hotline.notification.model.Notification;

/** A notification and its delivery state, as the API and the console stream show it. */
public record NotificationView(UUID id, UUID ticketId, String eventId, String eventType, Instant eventTime,
        String street, String recipient, String recipientName, String recipientRole, String channel, String address,
        String text, String status, int attempts, String lastError, Instant nextAttemptAt, Instant lastAttemptAt,
        Instant sentAt, Instant createdAt) {

    public static NotificationView of(Notification n) {
        return new NotificationView(n.id, n.ticketId, n.eventId, n.eventType, n.eventTime, n.street, n.recipient,
                n.recipientName, n.recipientRole, n.channel.name(), n.address, n.text, n.status.name(), n.attempts,
                n.lastError, n.nextAttemptAt, n.lastAttemptAt, n.sentAt, n.createdAt);
    }

    /** As pushed on the console stream at the moment of delivery. */
    public static NotificationView of(Delivery d) {
        return new NotificationView(d.id(), d.ticketId(), d.eventId(), d.eventType(), d.eventTime(), d.street(),
                d.recipient(), d.recipientName(), d.recipientRole(), d.channel().name(), d.address(), d.text(), "SENT",
                d.attempts() + 1, null, null, null, null, d.createdAt());
    }
}

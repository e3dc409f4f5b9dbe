package org.hotline.notification.service;

import java.time.Instant;
import java.util.UUID;

import org.hotline.notification.model.Channel;
import org.hotline.notification.model.Notification;

/** What a channel needs to send one row, read before the call so no transaction spans the network. */
public record Delivery(UUID id, UUID ticketId, String eventId, String eventType, Instant eventTime, String street,
        String recipient, String recipientName, String recipientRole, Channel channel, String address, String text,
        String body, int attempts, String status, Instant createdAt) {

    static Delivery of(Notification n) {
        return new Delivery(n.id, n.ticketId, n.eventId, n.eventType, n.eventTime, n.street, n.recipient,
                n.recipientName, n.recipientRole, n.channel, n.address, n.text, n.body, n.attempts, n.status.name(),
                n.createdAt);
    }
}

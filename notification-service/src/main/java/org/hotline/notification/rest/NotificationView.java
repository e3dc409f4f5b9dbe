package org.hotline.notification.rest;

import java.time.Instant;
import java.util.UUID;

import org.hotline.notification.model.Notification;

public record NotificationView(UUID id, UUID ticketId, String eventType, String recipient, String channel,
        String text, String status, Instant createdAt) {

    public static NotificationView of(Notification n) {
        return new NotificationView(n.id, n.ticketId, n.eventType, n.recipient, n.channel.name(), n.text,
                n.status.name(), n.createdAt);
    }
}

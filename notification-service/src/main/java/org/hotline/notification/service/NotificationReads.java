package org.hotline.notification.service;

import java.util.List;
import java.util.UUID;

import org.hotline.notification.model.DeliveryStatus;
import org.hotline.notification.model.Notification;
import org.hotline.notification.repository.NotificationRepository;

import jakarta.enterprise.context.ApplicationScoped;

/** The delivery history the API reads; who may read what is the resource's (the caller's scope). */
@ApplicationScoped
public class NotificationReads {

    private final NotificationRepository notifications;

    public NotificationReads(NotificationRepository notifications) {
        this.notifications = notifications;
    }

    /** Any of the filters may be null; {@code recipient} limits a field member to his own messages. */
    public List<Notification> search(UUID ticketId, DeliveryStatus status, String street, String recipient, int limit) {
        return notifications.search(ticketId, status, street, recipient, limit);
    }
}

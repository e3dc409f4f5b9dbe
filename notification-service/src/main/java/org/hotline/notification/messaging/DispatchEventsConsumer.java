package org.hotline.notification.messaging;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hotline.backbone.event.CloudEvent;
import org.hotline.backbone.event.EventCodec;
import org.hotline.backbone.inbox.ProcessedEvents;
import org.hotline.notification.service.NotificationService;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Dispatch's events: who must be told of an assignment. */
@ApplicationScoped
public class DispatchEventsConsumer {

    private final ProcessedEvents processed;
    private final EventCodec codec;
    private final NotificationService notifications;

    public DispatchEventsConsumer(ProcessedEvents processed, EventCodec codec, NotificationService notifications) {
        this.processed = processed;
        this.codec = codec;
        this.notifications = notifications;
    }

    @Incoming("dispatch-events")
    @Transactional
    public void consume(String value) {
        CloudEvent event = processed.firstDelivery(value);
        if (event == null) {
            return;
        }
        if ("assignment.created".equals(event.type())) {
            notifications.onAssignmentCreated(event.id(), codec.data(event, AssignmentCreated.class));
        }
    }
}

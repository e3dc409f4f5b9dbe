package org.hotline.notification.messaging;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hotline.backbone.event.EventCodec;
import org.hotline.backbone.inbox.EventInbox;
import org.hotline.notification.service.NotificationService;

import jakarta.enterprise.context.ApplicationScoped;
import io.smallrye.reactive.messaging.annotations.Blocking;

/** Dispatch's events: who must be told of an assignment. */
@ApplicationScoped
public class DispatchEventsConsumer {

    private final EventInbox inbox;
    private final EventCodec codec;
    private final NotificationService notifications;

    public DispatchEventsConsumer(EventInbox inbox, EventCodec codec, NotificationService notifications) {
        this.inbox = inbox;
        this.codec = codec;
        this.notifications = notifications;
    }

    @Incoming("dispatch-events")
    @Blocking
    public void consume(String value) {
        inbox.process(value, event -> {
            if ("assignment.created".equals(event.type())) {
                notifications.onAssignmentCreated(event.id(), codec.data(event, AssignmentCreated.class));
            }
        });
    }
}

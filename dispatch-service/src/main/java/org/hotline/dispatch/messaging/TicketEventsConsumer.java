package org.hotline.dispatch.messaging;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hotline.backbone.event.EventCodec;
import org.hotline.backbone.inbox.EventInbox;
import org.hotline.dispatch.service.DispatchService;

import jakarta.enterprise.context.ApplicationScoped;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Intake's ticket events. The effect and the processed event id commit together; a malformed
 * record throws, and the channel's dead-letter strategy sets it aside with the reason.
 */
@ApplicationScoped
public class TicketEventsConsumer {

    private final EventInbox inbox;
    private final EventCodec codec;
    private final DispatchService dispatch;

    public TicketEventsConsumer(EventInbox inbox, EventCodec codec, DispatchService dispatch) {
        this.inbox = inbox;
        this.codec = codec;
        this.dispatch = dispatch;
    }

    @Incoming("ticket-events")
    @Blocking
    public void consume(String value) {
        inbox.process(value, event -> {
            if ("ticket.received".equals(event.type())) {
                dispatch.onTicketReceived(codec.data(event, TicketReceived.class));
            }
        });
    }
}

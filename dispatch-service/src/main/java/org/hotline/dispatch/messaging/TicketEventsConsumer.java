package org.hotline.dispatch.messaging;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hotline.backbone.event.CloudEvent;
import org.hotline.backbone.event.EventCodec;
import org.hotline.backbone.inbox.ProcessedEvents;
import org.hotline.dispatch.service.DispatchService;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Intake's ticket events. The effect and the processed event id commit together; a malformed
 * record throws, and the channel's dead-letter strategy sets it aside with the reason.
 */
@ApplicationScoped
public class TicketEventsConsumer {

    private final ProcessedEvents processed;
    private final EventCodec codec;
    private final DispatchService dispatch;

    public TicketEventsConsumer(ProcessedEvents processed, EventCodec codec, DispatchService dispatch) {
        this.processed = processed;
        this.codec = codec;
        this.dispatch = dispatch;
    }

    @Incoming("ticket-events")
    @Transactional
    public void consume(String value) {
        CloudEvent event = processed.firstDelivery(value);
        if (event == null) {
            return;
        }
        if ("ticket.received".equals(event.type())) {
            dispatch.onTicketReceived(codec.data(event, TicketReceived.class));
        }
    }
}

package org.hotline.sla.messaging;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hotline.backbone.event.CloudEvent;
import org.hotline.backbone.event.EventCodec;
import org.hotline.backbone.inbox.ProcessedEvents;
import org.hotline.sla.service.ClockService;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Intake's ticket events start the clocks; effect and processed id commit together. */
@ApplicationScoped
public class TicketEventsConsumer {

    private final ProcessedEvents processed;
    private final EventCodec codec;
    private final ClockService clocks;

    public TicketEventsConsumer(ProcessedEvents processed, EventCodec codec, ClockService clocks) {
        this.processed = processed;
        this.codec = codec;
        this.clocks = clocks;
    }

    @Incoming("ticket-events")
    @Transactional
    public void consume(String value) {
        CloudEvent event = processed.firstDelivery(value);
        if (event == null) {
            return;
        }
        if ("ticket.received".equals(event.type())) {
            clocks.onTicketReceived(codec.data(event, TicketReceived.class));
        }
    }
}

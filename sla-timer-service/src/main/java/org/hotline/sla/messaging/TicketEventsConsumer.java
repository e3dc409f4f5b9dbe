package org.hotline.sla.messaging;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hotline.backbone.event.EventCodec;
import org.hotline.backbone.inbox.EventInbox;
import org.hotline.sla.service.ClockService;

import jakarta.enterprise.context.ApplicationScoped;
import io.smallrye.reactive.messaging.annotations.Blocking;

/** Intake's ticket events start the clocks; effect and processed id commit together. */
@ApplicationScoped
public class TicketEventsConsumer {

    private final EventInbox inbox;
    private final EventCodec codec;
    private final ClockService clocks;

    public TicketEventsConsumer(EventInbox inbox, EventCodec codec, ClockService clocks) {
        this.inbox = inbox;
        this.codec = codec;
        this.clocks = clocks;
    }

    @Incoming("ticket-events")
    @Blocking
    public void consume(String value) {
        inbox.process(value, event -> {
            switch (event.type()) {
                case "ticket.received" -> clocks.onTicketReceived(codec.data(event, TicketReceived.class));
                case "ticket.cancelled" -> clocks.onTicketCancelled(codec.data(event, TicketReceived.class).ticketId());
                case "ticket.reopened" -> {
                    TicketReopened r = codec.data(event, TicketReopened.class);
                    clocks.onTicketReopened(r.ticketId(), r.reopenedAt());
                }
                default -> {
                    // other ticket events do not move clocks
                }
            }
        });
    }
}

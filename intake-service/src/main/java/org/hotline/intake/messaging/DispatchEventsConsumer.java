package org.hotline.intake.messaging;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hotline.backbone.event.CloudEvent;
import org.hotline.backbone.event.EventCodec;
import org.hotline.backbone.event.PoisonEventException;
import org.hotline.backbone.inbox.EventInbox;
import org.hotline.intake.service.TicketService;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What intake needs to hear back from dispatch: that a ticket was closed (it stops being open for
 * repeat matching). Every other dispatch event is acknowledged and ignored.
 */
@ApplicationScoped
public class DispatchEventsConsumer {

    private static final String NO_TICKET = "ticket.closed without a valid data.ticketId";

    private final EventInbox inbox;
    private final EventCodec codec;
    private final TicketService tickets;

    public DispatchEventsConsumer(EventInbox inbox, EventCodec codec, TicketService tickets) {
        this.inbox = inbox;
        this.codec = codec;
        this.tickets = tickets;
    }

    @Incoming("dispatch-events")
    @Blocking
    public void dispatchEvent(String value) {
        inbox.process(value, this::apply);
    }

    private void apply(CloudEvent event) {
        if (!"ticket.closed".equals(event.type())) {
            return;
        }
        DispatchTicketClosed closed;
        UUID ticket;
        try {
            closed = codec.data(event, DispatchTicketClosed.class);
            ticket = UUID.fromString(closed.ticketId());
        } catch (RuntimeException e) {
            throw new PoisonEventException(NO_TICKET);
        }
        String at = closed.occurredAt() == null ? event.time() : closed.occurredAt();
        tickets.onClosed(ticket, Instant.parse(at), UUID.fromString(event.id()));
    }
}

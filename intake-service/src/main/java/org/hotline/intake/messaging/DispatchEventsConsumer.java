package org.hotline.intake.messaging;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hotline.backbone.event.CloudEvent;
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

    private final EventInbox inbox;
    private final TicketService tickets;

    public DispatchEventsConsumer(EventInbox inbox, TicketService tickets) {
        this.inbox = inbox;
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
        UUID ticket;
        try {
            ticket = UUID.fromString(event.data().path("ticketId").asText(null));
        } catch (RuntimeException e) {
            throw new PoisonEventException("ticket.closed without a valid data.ticketId");
        }
        String at = event.data().path("occurredAt").asText(event.time());
        tickets.onClosed(ticket, Instant.parse(at), UUID.fromString(event.id()));
    }
}

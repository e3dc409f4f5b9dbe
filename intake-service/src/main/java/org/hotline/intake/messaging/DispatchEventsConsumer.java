package org.hotline.intake.messaging;

import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hotline.backbone.event.CloudEvent;
import org.hotline.backbone.event.EventCodec;
import org.hotline.backbone.event.PoisonEventException;
import org.hotline.backbone.inbox.BatchInbox;
import org.hotline.intake.service.TicketService;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What intake needs to hear back from dispatch: that a ticket was closed (it stops being open for
 * repeat matching). Dispatch writes about seven other events per ticket on the same topic; they
 * are acknowledged by their ce_type header alone, a batch at a time (BatchInbox), with no
 * transaction and no inbox row: one per event was most of intake's work per ticket under load.
 */
@ApplicationScoped
public class DispatchEventsConsumer {

    private static final String NO_TICKET = "ticket.closed without a valid data.ticketId";

    static final String CLOSED = "ticket.closed";

    private final BatchInbox inbox;
    private final EventCodec codec;
    private final TicketService tickets;

    public DispatchEventsConsumer(BatchInbox inbox, EventCodec codec, TicketService tickets) {
        this.inbox = inbox;
        this.codec = codec;
        this.tickets = tickets;
    }

    @Incoming("dispatch-events")
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public Uni<Void> dispatchEvents(KafkaRecordBatch<String, String> batch) {
        return inbox.consume(batch, CLOSED::equals, this::apply);
    }

    private void apply(CloudEvent event) {
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

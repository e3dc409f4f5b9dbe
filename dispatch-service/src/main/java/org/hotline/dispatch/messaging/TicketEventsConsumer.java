package org.hotline.dispatch.messaging;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hotline.backbone.event.EventCodec;
import org.hotline.backbone.event.PoisonEventException;
import org.hotline.backbone.inbox.EventInbox;
import org.hotline.dispatch.service.IntakeFeedService;
import org.hotline.dispatch.service.EscalationService;
import org.hotline.dispatch.service.SlaDeadlines;

import jakarta.enterprise.context.ApplicationScoped;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Intake's ticket events and the SLA service's escalations. The effect and the processed event id
 * commit together; a malformed record throws, and the channel's dead-letter strategy sets it aside
 * with the reason.
 */
@ApplicationScoped
public class TicketEventsConsumer {

    private final EventInbox inbox;
    private final EventCodec codec;
    private final IntakeFeedService intake;
    private final EscalationService escalations;
    private final SlaDeadlines deadlines;

    public TicketEventsConsumer(EventInbox inbox, EventCodec codec, IntakeFeedService intake,
            EscalationService escalations, SlaDeadlines deadlines) {
        this.deadlines = deadlines;
        this.inbox = inbox;
        this.codec = codec;
        this.intake = intake;
        this.escalations = escalations;
    }

    @Incoming("ticket-events")
    @Blocking
    public void consume(String value) {
        inbox.process(value, event -> {
            switch (event.type()) {
                case "ticket.received" -> intake.onTicketReceived(codec.data(event, TicketReceived.class));
                case "ticket.cancelled" -> {
                    TicketChange c = codec.data(event, TicketChange.class);
                    intake.onCancelled(c.ticketId(), c.reason(), c.cancelledAt());
                }
                case "ticket.reopened" -> intake.onReopened(codec.data(event, TicketChange.class).ticketId());
                default -> {
                }
            }
        });
    }

    /**
     * Escalation levels that ask dispatch to act (action REDISPATCH or ADD_BACKUP; the others are
     * for people), and each stage's real deadline (sla.stage-started), which orders the queue.
     */
    @Incoming("sla-events")
    @Blocking
    public void consumeSla(String value) {
        inbox.process(value, event -> {
            if ("sla.escalated".equals(event.type()) && event.data().hasNonNull("action")) {
                escalations.onEscalated(event.id(), codec.data(event, SlaEscalated.class));
            } else if ("sla.stage-started".equals(event.type())) {
                SlaStageStarted s = codec.data(event, SlaStageStarted.class);
                if (s.ticketId() == null || s.stage() == null || s.deadline() == null) {
                    throw new PoisonEventException("sla.stage-started needs data.ticketId, stage and deadline");
                }
                deadlines.set(s.ticketId(), s.stage(), s.round(), s.deadline());
            }
        });
    }
}

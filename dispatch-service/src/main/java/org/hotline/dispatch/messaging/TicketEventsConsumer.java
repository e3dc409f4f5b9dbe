package org.hotline.dispatch.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hotline.backbone.event.CloudEvent;
import org.hotline.backbone.event.EventCodec;
import org.hotline.backbone.event.PoisonEventException;
import org.hotline.backbone.inbox.BatchInbox;
import org.hotline.dispatch.repository.DeadlineRepository;
import org.hotline.dispatch.service.EscalationService;
import org.hotline.dispatch.service.IntakeFeedService;
import org.hotline.dispatch.service.SlaDeadlines;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Intake's ticket events and the SLA service's escalations and deadlines, a batch of records at a
 * time (BatchInbox): the types dispatch ignores cost nothing, the rest of a batch and their
 * processed event ids commit together; a malformed record is set aside on the dead-letter topic
 * with the reason.
 */
@ApplicationScoped
public class TicketEventsConsumer {

    /**
     * Every ticket event, even those dispatch does not act on (repeat reports): the queue screens'
     * feed (QueueBroadcaster) holds each ticket event until dispatch's inbox has recorded it.
     */
    private static final String TICKET_EVENTS = "ticket.";
    /** The SLA events dispatch acts on; warnings, breaches, stage-met and the like are skipped unread. */
    private static final String STAGE_STARTED = "sla.stage-started";
    private static final Set<String> SLA_TYPES = Set.of("sla.escalated", STAGE_STARTED);

    private final BatchInbox inbox;
    private final EventCodec codec;
    private final IntakeFeedService intake;
    private final EscalationService escalations;
    private final SlaDeadlines deadlines;

    public TicketEventsConsumer(BatchInbox inbox, EventCodec codec, IntakeFeedService intake,
            EscalationService escalations, SlaDeadlines deadlines) {
        this.deadlines = deadlines;
        this.inbox = inbox;
        this.codec = codec;
        this.intake = intake;
        this.escalations = escalations;
    }

    @Incoming("ticket-events")
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public Uni<Void> consume(KafkaRecordBatch<String, String> batch) {
        return inbox.consume(batch, TicketEventsConsumer::ticketType, ticketHandler);
    }

    /** A batch of ticket-events as {@link #consume} applies it, on the caller's thread (the statement-count test). */
    public void processTicketEvents(KafkaRecordBatch<String, String> batch) {
        inbox.process(batch, TicketEventsConsumer::ticketType, ticketHandler);
    }

    private final BatchInbox.Handler ticketHandler = new BatchInbox.Handler() {
        /**
         * Which of the batch's received tickets dispatch has already, one query for the batch,
         * handed to each of them; then each event alone.
         */
        @Override
        public void applyBatch(List<CloudEvent> events, BatchInbox.Steps steps) {
            List<UUID> received = new ArrayList<>();
            for (CloudEvent event : events) {
                if ("ticket.received".equals(event.type())) {
                    try {
                        received.add(UUID.fromString(event.data().path("ticketId").asText()));
                    } catch (IllegalArgumentException malformed) {
                        // its own apply decodes it and sets it aside with the reason
                    }
                }
            }
            IntakeFeedService.Known known = intake.knowReceived(received);
            steps.eachAlone(events, event -> ticketEvent(event, known));
        }

        /** Alone (the one-by-one replay of a failed batch): nothing known, each ticket is looked up. */
        @Override
        public void apply(CloudEvent event) {
            ticketEvent(event, IntakeFeedService.Known.NONE);
        }
    };

    private static boolean ticketType(String type) {
        return type.startsWith(TICKET_EVENTS);
    }

    void ticketEvent(CloudEvent event, IntakeFeedService.Known known) {
        switch (event.type()) {
            case "ticket.received" -> intake.onTicketReceived(codec.data(event, TicketReceived.class), known);
            case "ticket.cancelled" -> {
                TicketChange c = codec.data(event, TicketChange.class);
                intake.onCancelled(c.ticketId(), c.reason(), c.cancelledAt());
            }
            case "ticket.reopened" -> intake.onReopened(codec.data(event, TicketChange.class).ticketId());
            default -> {
            }
        }
    }

    /**
     * Escalation levels that ask dispatch to act (action REDISPATCH or ADD_BACKUP; the others are
     * for people), and each stage's real deadline (sla.stage-started), which orders the queue.
     */
    @Incoming("sla-events")
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public Uni<Void> consumeSla(KafkaRecordBatch<String, String> batch) {
        return inbox.consume(batch, SLA_TYPES::contains, slaHandler);
    }

    /** A batch of sla-events as {@link #consumeSla} applies it, on the caller's thread (the statement-count test). */
    public void processSlaEvents(KafkaRecordBatch<String, String> batch) {
        inbox.process(batch, SLA_TYPES::contains, slaHandler);
    }

    private final BatchInbox.Handler slaHandler = new BatchInbox.Handler() {
        @Override
        public boolean wants(CloudEvent event) {
            return !"sla.escalated".equals(event.type()) || event.data().hasNonNull("action");
        }

        /**
         * The batch's deadlines in one statement, then its escalations each alone: no event of the
         * batch reads the deadlines (escalations act on assignments), so writing them first
         * changes nothing but the number of statements. A malformed one fails the batch, whose
         * events are then applied one by one (the deadline with {@link #slaEvent}), so it alone is
         * dead-lettered.
         */
        @Override
        public void applyBatch(List<CloudEvent> events, BatchInbox.Steps steps) {
            List<DeadlineRepository.Deadline> started = new ArrayList<>();
            List<CloudEvent> escalated = new ArrayList<>();
            for (CloudEvent event : events) {
                if (STAGE_STARTED.equals(event.type())) {
                    started.add(deadline(event));
                } else {
                    escalated.add(event);
                }
            }
            if (!started.isEmpty()) {
                deadlines.setAll(started);
            }
            steps.eachAlone(escalated, this::apply);
        }

        @Override
        public void apply(CloudEvent event) {
            slaEvent(event);
        }
    };

    void slaEvent(CloudEvent event) {
        if ("sla.escalated".equals(event.type())) {
            escalations.onEscalated(event.id(), codec.data(event, SlaEscalated.class));
        } else if (STAGE_STARTED.equals(event.type())) {
            DeadlineRepository.Deadline d = deadline(event);
            deadlines.set(d.ticketId(), d.stage(), d.round(), d.deadline());
        }
    }

    private DeadlineRepository.Deadline deadline(CloudEvent event) {
        SlaStageStarted s = codec.data(event, SlaStageStarted.class);
        if (s.ticketId() == null || s.stage() == null || s.deadline() == null) {
            throw new PoisonEventException("sla.stage-started needs data.ticketId, stage and deadline");
        }
        return new DeadlineRepository.Deadline(s.ticketId(), s.stage(), s.round(), s.deadline());
    }
}

package org.hotline.sla.messaging;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.hotline.backbone.event.CloudEvent;
import org.hotline.backbone.event.EventCodec;
import org.hotline.backbone.event.PoisonEventException;
import org.hotline.backbone.inbox.BatchInbox;
import org.hotline.backbone.outbox.Outbox;
import org.hotline.sla.repository.EarlyEventRepository;
import org.hotline.sla.repository.StageClockRepository;
import org.hotline.sla.service.ClockAdjustmentService;
import org.hotline.sla.service.ClockService;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Applies an incoming event to a ticket's clocks, whichever topic it came on. Events about a
 * ticket whose clocks are not armed yet (topics have no order between them) are parked and applied,
 * in arrival order, right after its ticket.received arms them; a per-ticket advisory lock makes the
 * park and the arming take turns, so none slips between them. Nothing blocks a channel waiting.
 *
 * <p>The consumer's batch handler ({@link #applyBatch}): a batch takes its tickets' locks and
 * unparks its ticket.received tickets' early events once ({@link #prepare}), then applies its events
 * in order sharing one persistence context, and writes all their outbox rows in one statement. An
 * event applied alone (the inbox's one-by-one replay, {@link #apply}) locks and unparks for itself.
 */
@ApplicationScoped
public class SlaEventRouter implements BatchInbox.Handler {

    private final ClockService clocks;
    private final ClockAdjustmentService adjustments;
    private final StageClockRepository stageClocks;
    private final EarlyEventRepository early;
    private final BatchArrivals batch;
    private final EventCodec codec;
    private final Clock clock;
    private final Outbox outbox;

    public SlaEventRouter(ClockService clocks, ClockAdjustmentService adjustments, StageClockRepository stageClocks,
            EarlyEventRepository early, BatchArrivals batch, EventCodec codec, Clock clock, Outbox outbox) {
        this.clocks = clocks;
        this.adjustments = adjustments;
        this.stageClocks = stageClocks;
        this.early = early;
        this.batch = batch;
        this.codec = codec;
        this.clock = clock;
        this.outbox = outbox;
    }

    /**
     * A batch's new events, in the batch's transaction: its tickets prepared at once, then each
     * event in order, flushed but not cleared: each finds its ticket's clocks as the batch loaded
     * them (no read per event). Sharing is safe because no statement of the router changes a
     * clock's row behind its entity's back (the lead unit's type is set on the clocks; the only bulk
     * statement, closing a clock's timers, changes timers no event changes again as entities). The
     * outbox rows of all the events go out together after the last one.
     */
    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void applyBatch(List<CloudEvent> events, BatchInbox.Steps steps) {
        outbox.batch(() -> {
            prepare(events);
            steps.eachSharingContext(events, this::apply);
            return null;
        });
    }

    /** One event, in the caller's transaction (alone: the inbox's one-by-one replay). */
    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(CloudEvent event) {
        if (!wants(event)) {
            return;
        }
        // the event's outbox rows (a ticket.received announces four stage starts) in one statement
        outbox.batch(() -> {
            route(event);
            return null;
        });
    }

    private void route(CloudEvent event) {
        UUID ticket = ticketOf(event);
        if (!batch.locked(ticket)) {
            early.lockArrivals(ticket);
        }
        if ("ticket.received".equals(event.type())) {
            clocks.onTicketReceived(codec.data(event, TicketReceived.class));
            List<CloudEvent> parked = batch.take(ticket);
            if (parked == null) {
                parked = early.unpark(ticket).stream().map(codec::decode).toList();
            }
            for (CloudEvent e : parked) {
                applyToClocks(e);
            }
        } else if (!stageClocks.armed(ticket)) {
            if (!batch.hold(ticket, event)) {
                early.park(ticket, event.type(), codec.encode(event), clock.instant());
            }
        } else {
            applyToClocks(event);
        }
    }

    /**
     * The types that can change clocks, judged from the type alone (the record's {@code ce_type}
     * header): records of other types are skipped unread. Of dispatch's events, those that may end a
     * stage (docs/events.md, stage-ending events), name the lead unit, or move a deadline.
     */
    public static boolean handles(String type) {
        return switch (type) {
            case "ticket.received", "ticket.cancelled", "ticket.reopened", "ticket.repeat-reported",
                    "ticket.repeat-overridden", "assignment.created", "extension.approved", "ticket.taken",
                    "caller.contacted", "assignment.arrived", "assignment.resolved" -> true;
            default -> false;
        };
    }

    /** Whether a decoded event of a handled type changes clocks (a dispatch event only if it ends a stage). */
    @Override
    public boolean wants(CloudEvent e) {
        return switch (e.type()) {
            case "ticket.received", "ticket.cancelled", "ticket.reopened", "ticket.repeat-reported",
                    "ticket.repeat-overridden", "assignment.created",
                    "extension.approved" -> true;
            default -> e.data().hasNonNull("stageEnded");
        };
    }

    /**
     * Once per batch, before its events: the arrival locks of all its tickets, in one statement
     * and in lock-key order; taking them all first, in one order, keeps a batch of ticket-events and
     * one of dispatch-events (or another replica's) from each holding a ticket the other waits for.
     * Then the unfired timers and the clocks of all its tickets, in two statements (lock order as
     * everywhere: timers, then clocks), so its events neither lock nor ask whether a ticket is armed
     * one by one ({@link StageClockRepository#lockTickets}).
     * Then, with no one able to park for those tickets until this transaction ends, the early events
     * of all its ticket.received tickets are unparked in one statement (usually none: one statement
     * per batch instead of one per ticket.received), each applied when its ticket's clocks are armed.
     */
    private void prepare(List<CloudEvent> events) {
        Set<UUID> tickets = new HashSet<>();
        Set<UUID> received = new HashSet<>();
        for (CloudEvent e : events) {
            if (wants(e)) {
                tickets.add(ticketOf(e));
                if ("ticket.received".equals(e.type())) {
                    received.add(ticketOf(e));
                }
            }
        }
        early.lockArrivals(tickets);
        stageClocks.lockTickets(tickets);
        Map<UUID, List<CloudEvent>> unparked = new HashMap<>();
        for (UUID t : received) {
            unparked.put(t, List.of());
        }
        early.unpark(received).forEach((t, parked) -> unparked.put(t, parked.stream().map(codec::decode).toList()));
        batch.prepared(tickets, unparked);
    }

    private void applyToClocks(CloudEvent event) {
        UUID ticket = ticketOf(event);
        switch (event.type()) {
            case "ticket.cancelled" -> clocks.onTicketCancelled(ticket);
            case "ticket.reopened" -> clocks.onTicketReopened(ticket, codec.data(event, TicketReopened.class).reopenedAt());
            case "ticket.repeat-reported" -> adjustments.onRepeatReported(repeat(event), event.id());
            case "ticket.repeat-overridden" -> adjustments.onRepeatOverridden(repeat(event));
            default -> applyDispatchEvent(event);
        }
    }

    private void applyDispatchEvent(CloudEvent event) {
        DispatchEventData d = codec.data(event, DispatchEventData.class);
        if ("assignment.created".equals(event.type()) && "LEAD".equals(d.role()) && d.unitType() != null) {
            clocks.onLeadAssigned(d.ticketId(), d.unitType());
        }
        if ("extension.approved".equals(event.type())) {
            if (d.stage() == null || d.newDeadline() == null) {
                throw new PoisonEventException("extension.approved needs data.stage and data.newDeadline");
            }
            adjustments.onExtensionApproved(d.ticketId(), d.stage(), d.newDeadline(), d.approvedBy(), d.reason(),
                    event.id());
        }
        if (d.stageEnded() != null) {
            clocks.onStageEnded(d.ticketId(), d.stageEnded(),
                    d.occurredAt() != null ? d.occurredAt() : Instant.parse(event.time()));
        }
    }

    private TicketRepeat repeat(CloudEvent event) {
        TicketRepeat r = codec.data(event, TicketRepeat.class);
        if (r.repeatId() == null) {
            throw new PoisonEventException(event.type() + " needs data.repeatId");
        }
        return r;
    }

    private static UUID ticketOf(CloudEvent event) {
        String id = event.data().path("ticketId").asText(null);
        try {
            return UUID.fromString(id);
        } catch (RuntimeException e) {
            throw new PoisonEventException(event.type() + " without a valid data.ticketId: " + id);
        }
    }
}

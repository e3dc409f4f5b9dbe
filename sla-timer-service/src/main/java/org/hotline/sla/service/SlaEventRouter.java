package org.hotline.sla.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.hotline.backbone.event.CloudEvent;
import org.hotline.backbone.event.EventCodec;
import org.hotline.backbone.event.PoisonEventException;
import org.hotline.sla.messaging.DispatchEventData;
import org.hotline.sla.messaging.TicketReceived;
import org.hotline.sla.messaging.TicketReopened;
import org.hotline.sla.messaging.TicketRepeat;
import org.hotline.sla.model.StageClock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Applies an incoming event to a ticket's clocks, whichever topic it came on. Events about a
 * ticket whose clocks are not armed yet (topics have no order between them) are parked and applied,
 * in arrival order, right after its ticket.received arms them; a per-ticket advisory lock makes the
 * park and the arming take turns, so none slips between them. Nothing blocks a channel waiting.
 */
@ApplicationScoped
public class SlaEventRouter {

    private final ClockService clocks;
    private final EventCodec codec;
    private final EntityManager em;
    private final Clock clock;

    public SlaEventRouter(ClockService clocks, EventCodec codec, EntityManager em, Clock clock) {
        this.clocks = clocks;
        this.codec = codec;
        this.em = em;
        this.clock = clock;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void handle(CloudEvent event) {
        if (!relevant(event)) {
            return;
        }
        UUID ticket = ticketOf(event);
        em.createNativeQuery("select pg_advisory_xact_lock(hashtext(?1))").setParameter(1, ticket.toString())
                .getSingleResult();
        if ("ticket.received".equals(event.type())) {
            clocks.onTicketReceived(codec.data(event, TicketReceived.class));
            replayParked(ticket);
        } else if (StageClock.count("ticketId", ticket) == 0) {
            park(ticket, event);
        } else {
            apply(event);
        }
    }

    private boolean relevant(CloudEvent e) {
        return switch (e.type()) {
            case "ticket.received", "ticket.cancelled", "ticket.reopened", "ticket.repeat-reported",
                    "ticket.repeat-overridden", "assignment.created",
                    "extension.approved" -> true;
            default -> e.data().hasNonNull("stageEnded");
        };
    }

    private void apply(CloudEvent event) {
        UUID ticket = ticketOf(event);
        switch (event.type()) {
            case "ticket.cancelled" -> clocks.onTicketCancelled(ticket);
            case "ticket.reopened" -> clocks.onTicketReopened(ticket, codec.data(event, TicketReopened.class).reopenedAt());
            case "ticket.repeat-reported" -> clocks.onRepeatReported(repeat(event), event.id());
            case "ticket.repeat-overridden" -> clocks.onRepeatOverridden(repeat(event));
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
            clocks.onExtensionApproved(d.ticketId(), d.stage(), d.newDeadline(), d.approvedBy(), d.reason(),
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

    private void park(UUID ticket, CloudEvent event) {
        em.createNativeQuery("insert into early_event (ticket_id, event_type, payload, received_at)"
                + " values (?1, ?2, ?3, ?4)").setParameter(1, ticket).setParameter(2, event.type())
                .setParameter(3, codec.encode(event)).setParameter(4, clock.instant()).executeUpdate();
    }

    @SuppressWarnings("unchecked")
    private void replayParked(UUID ticket) {
        List<Object[]> parked = em.createNativeQuery(
                "select id, payload from early_event where ticket_id = ?1 order by id").setParameter(1, ticket)
                .getResultList();
        for (Object[] row : parked) {
            apply(codec.decode((String) row[1]));
        }
        em.createNativeQuery("delete from early_event where ticket_id = ?1").setParameter(1, ticket).executeUpdate();
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

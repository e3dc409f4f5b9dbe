package org.hotline.dispatch.service;

import static org.hotline.dispatch.messaging.DispatchEvents.ESCALATION_ACTION_TAKEN;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import org.hotline.backbone.web.ProblemException;
import org.hotline.dispatch.messaging.DispatchEvents;
import org.hotline.dispatch.messaging.EscalationActionTaken;
import org.hotline.dispatch.messaging.SlaEscalated;
import org.hotline.dispatch.model.Assignment;
import org.hotline.dispatch.model.AssignmentReason;
import org.hotline.dispatch.model.AssignmentRole;
import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.model.SlaStage;
import org.hotline.dispatch.model.Stage;
import org.hotline.dispatch.repository.TicketRepository;
import org.jboss.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Carries out what an escalation level asks (sla.escalated with an action): REDISPATCH passes the
 * lead to the next recommended unit that has not led the ticket; ADD_BACKUP adds the top
 * recommended unit not already working it, assisting. Runs inside the consumer's inbox transaction,
 * so it happens once per event id.
 */
@ApplicationScoped
public class EscalationService {

    private static final Logger LOG = Logger.getLogger(EscalationService.class);

    private final DispatchLookup lookup;
    private final AssignmentService assigning;
    private final CommandRoomService commandRoom;
    private final DispatchEvents events;
    private final Clock clock;
    private final TicketRepository tickets;

    public EscalationService(DispatchLookup lookup, AssignmentService assigning, CommandRoomService commandRoom, DispatchEvents events, Clock clock, TicketRepository tickets) {
        this.tickets = tickets;
        this.lookup = lookup;
        this.assigning = assigning;
        this.commandRoom = commandRoom;
        this.events = events;
        this.clock = clock;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void onEscalated(String eventId, SlaEscalated e) {
        DispatchTicket t = tickets.lock(e.ticketId());
        if (t == null) {
            LOG.warnf("escalation %s for unknown ticket %s ignored", eventId, e.ticketId());
            return;
        }
        // the stage was met (or the ticket left the queue) since the SLA service decided: nothing to do
        if (!t.stage.open() || t.stage == Stage.RESOLVED) {
            LOG.infof("escalation %s (%s) for ticket %s ignored: ticket is %s", eventId, e.action(), t.id, t.stage);
            return;
        }
        String actor = "sla:level-" + e.level();
        if (e.round() != t.round || stageMet(t, e.stage())) {
            // the timer fired while the unit was arriving / the ticket was reopened: acting now would
            // take the ticket from a unit that did its job, so only say why nothing was done
            LOG.infof("escalation %s (%s, stage %s round %d) for ticket %s ignored: stage met or round is now %d",
                    eventId, e.action(), e.stage(), e.round(), t.id, t.round);
            publish(t, eventId, e, actor, "STAGE_ALREADY_MET", null);
            return;
        }
        Assignment made = null;
        Set<String> excluded = new HashSet<>();
        if ("REDISPATCH".equals(e.action())) {
            excluded.addAll(assigning.notReassignable(t.id));
            String unit = assigning.topRecommendation(t, excluded);
            if (unit != null) {
                made = tryRun(() -> commandRoom.redispatchLocked(t, actor, unit, "escalation level " + e.level(),
                        AssignmentReason.ESCALATION));
            }
        } else {
            assigning.openAssignments(t.id).forEach(a -> excluded.add(a.unitId));
            String unit = assigning.topRecommendation(t, excluded);
            if (unit != null) {
                boolean hasLead = assigning.openLead(t.id) != null;
                made = tryRun(() -> assigning.assign(t, lookup.lockUnit(unit),
                        hasLead ? AssignmentRole.ASSIST : AssignmentRole.LEAD, AssignmentReason.ESCALATION, true, true,
                        actor, null));
            }
        }
        publish(t, eventId, e, actor, made == null ? "NO_UNIT_AVAILABLE" : "DONE", made);
    }

    /** Dispatch's own state says whether the escalated stage already ended (an unknown stage: not met). */
    static boolean stageMet(DispatchTicket t, String stage) {
        SlaStage s = SlaStage.named(stage);
        return s != null && s.met(t);
    }

    private void publish(DispatchTicket t, String eventId, SlaEscalated e, String actor, String outcome,
            Assignment made) {
        Instant now = clock.instant();
        events.publish(ESCALATION_ACTION_TAKEN, t, EscalationActionTaken.of(t, now, actor, e.action(), eventId, e.stage(),
                e.level(), outcome, made));
    }

    private static Assignment tryRun(java.util.function.Supplier<Assignment> action) {
        try {
            return action.get();
        } catch (ProblemException refused) {
            LOG.warnf("escalation action refused: %s", refused.getMessage());
            return null;
        }
    }
}

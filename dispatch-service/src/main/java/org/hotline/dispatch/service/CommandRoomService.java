package org.hotline.dispatch.service;

import static org.hotline.dispatch.messaging.DispatchEvents.CALLER_CONTACTED;
import static org.hotline.dispatch.messaging.DispatchEvents.TICKET_CLOSED;
import static org.hotline.dispatch.messaging.DispatchEvents.TICKET_TAKEN;
import static org.hotline.dispatch.messaging.DispatchEvents.WHISTLE_BLOWN;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.hotline.backbone.web.ProblemException;
import org.hotline.dispatch.messaging.DispatchEvents;
import org.hotline.dispatch.messaging.StageTransition;
import org.hotline.dispatch.messaging.TicketClosed;
import org.hotline.dispatch.messaging.WhistleBlown;
import org.hotline.dispatch.model.Assignment;
import org.hotline.dispatch.model.AssignmentReason;
import org.hotline.dispatch.model.AssignmentRole;
import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.model.SlaStage;
import org.hotline.dispatch.model.Stage;
import org.hotline.dispatch.model.Unit;
import org.hotline.dispatch.service.Transitions.TicketAction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * The command room's actions on a ticket: take (签收/受理), caller contacted, dispatch (派单, joint
 * or by whistle 吹哨), re-dispatch (转派) and close. Each locks the ticket row first.
 */
@ApplicationScoped
public class CommandRoomService {

    private final DispatchEvents events;
    private final Clock clock;
    private final DispatchMetrics metrics;
    private final DispatchLookup lookup;
    private final AssignmentService assigning;

    public CommandRoomService(DispatchEvents events, Clock clock, DispatchMetrics metrics, DispatchLookup lookup,
            AssignmentService assigning) {
        this.events = events;
        this.clock = clock;
        this.metrics = metrics;
        this.lookup = lookup;
        this.assigning = assigning;
    }

    /** 签收/受理: the command room takes the ticket; ends the 1-minute RESPOND stage. */
    @Transactional
    public DispatchTicket take(UUID id, String dispatcher) {
        DispatchTicket t = lookup.lockTicket(id);
        Transitions.check(t, TicketAction.TAKE);
        if (t.takenAt != null) {
            throw ProblemException.conflict("ticket " + id + " was already taken by " + t.takenBy + " at " + t.takenAt);
        }
        Set<SlaStage> met = SlaStage.allMet(t);
        t.takenAt = clock.instant();
        t.takenBy = dispatcher;
        if (t.stage == Stage.NEW) {
            t.stage = Stage.TAKEN;
        }
        events.publish(TICKET_TAKEN, t, StageTransition.of(t, t.takenAt, dispatcher,
                SlaStage.endedSince(met, t)));
        return t;
    }

    /** The caller was told; with the ticket dispatched this ends the 3-minute DISPATCH_CONTACT stage. */
    @Transactional
    public DispatchTicket callerContacted(UUID id, String dispatcher) {
        DispatchTicket t = lookup.lockTicket(id);
        Transitions.check(t, TicketAction.CONTACT_CALLER);
        if (t.callerContactedAt != null) {
            throw ProblemException.conflict("the caller of ticket " + id + " was already contacted at "
                    + t.callerContactedAt);
        }
        Set<SlaStage> met = SlaStage.allMet(t);
        t.callerContactedAt = clock.instant();
        t.callerContactedBy = dispatcher;
        events.publish(CALLER_CONTACTED, t, StageTransition.of(t, t.callerContactedAt, dispatcher,
                SlaStage.endedSince(met, t)));
        return t;
    }

    /** One unit of a dispatcher's (joint) dispatch. */
    public record UnitOrder(String unitId, AssignmentRole role) {
    }

    /**
     * 派单: one unit, or several with one lead (主办) and the others assisting (协办). With
     * {@code whistle} (吹哨) the units are summoned together and each must report in (acknowledge).
     * A ticket that already has a lead takes assisting units only.
     */
    @Transactional
    public List<Assignment> dispatch(UUID id, String dispatcher, List<UnitOrder> orders, boolean whistle) {
        DispatchTicket t = lookup.lockTicket(id);
        Transitions.check(t, TicketAction.DISPATCH);
        Set<String> seen = new HashSet<>();
        long leads = 0;
        for (UnitOrder o : orders) {
            if (!seen.add(o.unitId())) {
                throw ProblemException.badRequest("units", "unit " + o.unitId() + " is listed twice");
            }
            leads += o.role() == AssignmentRole.LEAD ? 1 : 0;
        }
        Assignment lead = assigning.openLead(t.id);
        if (leads > 1) {
            throw ProblemException.badRequest("units", "one lead unit (主办) at most");
        }
        if (leads == 0 && lead == null) {
            throw ProblemException.badRequest("units", "the ticket has no lead unit: name one (role LEAD)");
        }
        if (leads == 1 && lead != null) {
            throw ProblemException.conflict("ticket " + id + " already has a lead unit (" + lead.unitId
                    + "): re-dispatch to change it");
        }
        String top = assigning.topRecommendation(t);
        UUID summon = whistle ? UUID.randomUUID() : null;
        List<Assignment> made = new java.util.ArrayList<>();
        // lock units in id order: two joint dispatches naming the same units cannot deadlock
        List<UnitOrder> sorted = orders.stream().sorted(java.util.Comparator.comparing(UnitOrder::unitId)).toList();
        for (UnitOrder o : sorted) {
            Unit u = lookup.lockUnit(o.unitId());
            AssignmentReason reason = o.role() == AssignmentRole.ASSIST && lead != null ? AssignmentReason.BACKUP
                    : AssignmentReason.DISPATCH;
            boolean recommended = u.id.equals(top);
            made.add(assigning.assign(t, u, o.role(), reason, false, recommended, dispatcher, summon));
            if (o.role() == AssignmentRole.LEAD) {
                metrics.recommendation(recommended);
            }
        }
        if (whistle) {
            events.publish(WHISTLE_BLOWN, t, WhistleBlown.of(t, clock.instant(), dispatcher, summon,
                    orders.stream().map(UnitOrder::unitId).toList()));
        }
        return made;
    }

    /**
     * 转派: the current lead (if any) is withdrawn and a new lead assigned: the named unit, or the
     * top recommendation among units that have not led this ticket. A pending return is accepted by it.
     */
    @Transactional
    public Assignment redispatch(UUID id, String dispatcher, String unitId, String why) {
        DispatchTicket t = lookup.lockTicket(id);
        return redispatchLocked(t, dispatcher, unitId, why, AssignmentReason.REDISPATCH);
    }

    Assignment redispatchLocked(DispatchTicket t, String actor, String unitId, String why, AssignmentReason reason) {
        Transitions.check(t, TicketAction.DISPATCH);
        if (t.dispatchedAt == null) {
            throw ProblemException.conflict("ticket " + t.id + " was never dispatched: dispatch it instead");
        }
        Assignment lead = assigning.openLead(t.id);
        String top = assigning.topRecommendation(t, assigning.notReassignable(t.id));
        String target = unitId != null ? unitId : top;
        if (target == null) {
            throw ProblemException.conflict("no other unit of street " + t.street + " can take " + t.category
                    + " now: name a unit");
        }
        if (lead != null && lead.unitId.equals(target)) {
            throw ProblemException.conflict("unit " + target + " already leads ticket " + t.id);
        }
        Unit u = lookup.lockUnit(target);
        assigning.assignable(t, u); // before withdrawing anything: a refusal leaves the ticket as it was
        if (lead != null) {
            assigning.withdraw(t, lead, reason.name(), actor);
            if (lead.automatic) {
                metrics.recommendation(false); // the command room overrode the automatic choice
            }
        }
        for (Assignment pending : assigning.pendingReturns(t.id)) {
            if (pending.role == AssignmentRole.LEAD) {
                assigning.decideReturn(t, pending, "ACCEPTED", actor, why);
            }
        }
        boolean recommended = target.equals(top);
        Assignment made = assigning.assign(t, u, AssignmentRole.LEAD, reason, false, recommended, actor, null);
        if (reason == AssignmentReason.REDISPATCH) {
            metrics.recommendation(recommended);
        }
        return made;
    }

    /** Close after the work was reported done (the lead resolved); assisting units still open are withdrawn. */
    @Transactional
    public DispatchTicket close(UUID id, String dispatcher) {
        DispatchTicket t = lookup.lockTicket(id);
        Transitions.check(t, TicketAction.CLOSE);
        for (Assignment a : assigning.openAssignments(t.id)) {
            assigning.withdraw(t, a, "CLOSED", dispatcher);
        }
        t.stage = Stage.CLOSED;
        t.closedAt = clock.instant();
        t.closedBy = dispatcher;
        events.publish(TICKET_CLOSED, t, TicketClosed.of(t, t.closedAt, dispatcher));
        return t;
    }
}

package org.hotline.dispatch.service;

import static org.hotline.dispatch.messaging.DispatchEvents.ASSIGNMENT_CREATED;
import static org.hotline.dispatch.messaging.DispatchEvents.ASSIGNMENT_WITHDRAWN;
import static org.hotline.dispatch.messaging.DispatchEvents.RETURN_ACCEPTED;
import static org.hotline.dispatch.messaging.DispatchEvents.RETURN_REJECTED;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.hotline.backbone.web.ProblemException;
import org.hotline.dispatch.config.DispatchConfig;
import org.hotline.dispatch.messaging.DispatchEvents;
import org.hotline.dispatch.messaging.AssignmentCreated;
import org.hotline.dispatch.messaging.AssignmentWithdrawn;
import org.hotline.dispatch.messaging.ReturnDecided;
import org.hotline.dispatch.model.Assignment;
import org.hotline.dispatch.model.AssignmentReason;
import org.hotline.dispatch.model.AssignmentRole;
import org.hotline.dispatch.model.AssignmentStatus;
import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.model.SlaStage;
import org.hotline.dispatch.model.Unit;
import org.hotline.dispatch.model.UnitStatus;
import org.hotline.dispatch.repository.AssignmentRepository;
import org.hotline.dispatch.repository.UnitRepository;
import org.hotline.dispatch.service.Transitions.AssignmentAction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

/**
 * Assigning: one unit's order on a ticket is made ({@link #assign}), refused
 * ({@link #assignable}) or taken away ({@link #withdraw}), and the next lead is chosen from the
 * recommendations. The caller holds the ticket lock and has locked the unit, so a unit's capacity is
 * never overbooked; the unique index on open leads is the last line of defence.
 */
@ApplicationScoped
public class AssignmentService {

    private final DispatchEvents events;
    private final Clock clock;
    private final DispatchConfig config;
    private final RecommendationService recommendations;
    private final DispatchMetrics metrics;
    private final Event<OfferMade> offers;
    private final DutyRoster roster;
    private final AssignmentRepository assignments;
    private final UnitRepository units;
    private final DispatchLookup lookup;

    public AssignmentService(DispatchEvents events, Clock clock, DispatchConfig config,
            RecommendationService recommendations, DispatchMetrics metrics, Event<OfferMade> offers,
            DutyRoster roster, AssignmentRepository assignments, UnitRepository units, DispatchLookup lookup) {
        this.events = events;
        this.clock = clock;
        this.config = config;
        this.recommendations = recommendations;
        this.metrics = metrics;
        this.offers = offers;
        this.roster = roster;
        this.assignments = assignments;
        this.units = units;
        this.lookup = lookup;
    }

    /**
     * Creates one assignment and publishes assignment.created. The caller holds the ticket lock
     * and has locked the unit ({@link #lockUnit}). Refuses an off-duty or full unit, a unit already
     * working the ticket, and a second open lead.
     */
    public Assignment assign(DispatchTicket t, Unit unit, AssignmentRole role, AssignmentReason reason,
            boolean automatic, boolean recommended, String actor, UUID summonId) {
        return assign(t, unit, role, reason, automatic, recommended, actor, summonId, false);
    }

    /**
     * The lead of a ticket received in this very transaction and not persisted yet (auto-dispatch).
     * It has no assignment, so there is no lead nor pending return to look up; the ticket is
     * persisted here with the state the assignment gives it (one insert, no update after it). The
     * caller has locked the unit; a refusal leaves the ticket unpersisted.
     */
    public Assignment assignFirstLead(DispatchTicket fresh, Unit unit, AssignmentReason reason, boolean automatic,
            boolean recommended, String actor) {
        return assign(fresh, unit, AssignmentRole.LEAD, reason, automatic, recommended, actor, null, true);
    }

    private Assignment assign(DispatchTicket t, Unit unit, AssignmentRole role, AssignmentReason reason,
            boolean automatic, boolean recommended, String actor, UUID summonId, boolean fresh) {
        assignable(t, unit);
        if (!fresh && role == AssignmentRole.LEAD && openLead(t.id) != null) {
            throw ProblemException.conflict("ticket " + t.id + " already has a lead unit (" + openLead(t.id).unitId
                    + "): re-dispatch to change it");
        }
        if (!fresh && role == AssignmentRole.LEAD) {
            // a former lead's pending return is settled by the new lead: accepting it later must not
            // withdraw the new lead, rejecting it must not give the ticket two leads
            for (Assignment pending : pendingReturns(t.id)) {
                if (pending.role == AssignmentRole.LEAD) {
                    decideReturn(t, pending, "ACCEPTED", actor, "another lead unit was assigned");
                }
            }
        }
        Instant now = clock.instant();
        Assignment a = new Assignment();
        a.id = UUID.randomUUID();
        a.ticketId = t.id;
        a.unitId = unit.id;
        a.role = role;
        a.status = AssignmentStatus.OFFERED;
        a.automatic = automatic;
        a.recommended = recommended;
        a.reason = reason;
        a.createdBy = actor;
        a.summonId = summonId;
        a.createdAt = now;
        a.ackDeadline = now.plus(config.ackTimeout(t.category));
        Set<SlaStage> met = SlaStage.allMet(t);
        if (t.dispatchedAt == null) {
            t.dispatchedAt = now;
        }
        if (role == AssignmentRole.LEAD) {
            t.stage = Transitions.afterLeadAssigned(t.stage);
        }
        if (fresh) {
            t.persist(); // before its assignment, whose row refers to it
        }
        a.persist();
        // who hears of the order is decided here, by the same roster that chose the unit: its members
        // on duty; a unit a dispatcher calls in by hand while nobody of it is on duty: all its members
        List<String> notify = roster.membersOnDuty(unit.id, now);
        boolean calledIn = notify.isEmpty();
        if (calledIn) {
            notify = units.members(unit.id).stream()
                    .map(m -> m.memberId).toList();
        }
        events.publish(ASSIGNMENT_CREATED, t, AssignmentCreated.of(t, now, actor, a, unit, automatic, reason,
                recommended, notify, calledIn, SlaStage.endedSince(met, t)));
        metrics.dispatched(unit.type.name(), t.category, reason.name(), role.name());
        if (role == AssignmentRole.LEAD) {
            offers.fire(new OfferMade(a.ackDeadline)); // only lead offers lapse
        }
        return a;
    }

    /** Refuses a unit of another street, off duty, at capacity, or already working the ticket. */
    void assignable(DispatchTicket t, Unit unit) {
        if (!unit.street.equals(t.street)) {
            throw new ProblemException(422, "Unprocessable", "unit " + unit.id + " serves street " + unit.street
                    + ", ticket " + t.id + " is in " + t.street);
        }
        if (unit.status == UnitStatus.OFF_DUTY) {
            throw ProblemException.conflict("unit " + unit.id + " is off duty");
        }
        AssignmentRepository.UnitLoad load = assignments.openOfUnit(unit.id, t.id);
        if (load.open() >= unit.capacity) {
            throw ProblemException.conflict("unit " + unit.id + " is at capacity (" + unit.capacity + ")");
        }
        if (load.onTicket() > 0) {
            throw ProblemException.conflict("unit " + unit.id + " already works ticket " + t.id);
        }
    }

    /** Takes an open assignment away (re-dispatch, escalation, cancellation, close) and says so. */
    public void withdraw(DispatchTicket t, Assignment a, String why, String actor) {
        a.status = Transitions.check(t, a, AssignmentAction.WITHDRAW);
        a.endedAt = clock.instant();
        a.endedReason = why;
        events.publish(ASSIGNMENT_WITHDRAWN, t, AssignmentWithdrawn.of(t, a.endedAt, actor, a,
                lookup.unit(a.unitId), why));
    }

    void decideReturn(DispatchTicket t, Assignment a, String decision, String actor, String note) {
        a.returnDecision = decision;
        a.returnDecidedBy = actor;
        a.returnDecidedAt = clock.instant();
        events.publish("ACCEPTED".equals(decision) ? RETURN_ACCEPTED : RETURN_REJECTED, t,
                ReturnDecided.of(t, a.returnDecidedAt, actor, a, lookup.unit(a.unitId), note));
    }

    Assignment openLead(UUID ticketId) {
        return assignments.openLead(ticketId);
    }

    List<Assignment> openAssignments(UUID ticketId) {
        return assignments.open(ticketId);
    }

    List<Assignment> pendingReturns(UUID ticketId) {
        return assignments.pendingReturns(ticketId);
    }

    /** Units that led this ticket before (returned, lapsed, withdrawn): not offered it again automatically. */
    Set<String> formerLeads(UUID ticketId) {
        return new HashSet<>(assignments.leads(ticketId).stream().map(a -> a.unitId).toList());
    }

    /**
     * Units not to pick automatically as the next lead: former leads and units with an open
     * assignment on the ticket (an assisting unit cannot also lead), so the ranking is walked down
     * to the first unit that can actually be assigned.
     */
    Set<String> notReassignable(UUID ticketId) {
        Set<String> out = formerLeads(ticketId);
        openAssignments(ticketId).forEach(a -> out.add(a.unitId));
        return out;
    }

    String topRecommendation(DispatchTicket t) {
        return topRecommendation(t, Set.of());
    }

    String topRecommendation(DispatchTicket t, Set<String> excluded) {
        return recommendations.recommend(t, excluded).stream().findFirst().map(Recommendation::unitId).orElse(null);
    }
}

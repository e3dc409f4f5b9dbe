package org.hotline.dispatch.service;

import static org.hotline.dispatch.messaging.DispatchEvents.ASSIGNMENT_CREATED;
import static org.hotline.dispatch.messaging.DispatchEvents.ASSIGNMENT_WITHDRAWN;
import static org.hotline.dispatch.messaging.DispatchEvents.CALLER_CONTACTED;
import static org.hotline.dispatch.messaging.DispatchEvents.EXTENSION_APPROVED;
import static org.hotline.dispatch.messaging.DispatchEvents.EXTENSION_DENIED;
import static org.hotline.dispatch.messaging.DispatchEvents.RETURN_ACCEPTED;
import static org.hotline.dispatch.messaging.DispatchEvents.RETURN_REJECTED;
import static org.hotline.dispatch.messaging.DispatchEvents.TICKET_CLOSED;
import static org.hotline.dispatch.messaging.DispatchEvents.TICKET_TAKEN;
import static org.hotline.dispatch.messaging.DispatchEvents.WHISTLE_BLOWN;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.hotline.backbone.web.ProblemException;
import org.hotline.dispatch.config.DispatchConfig;
import org.hotline.dispatch.messaging.DispatchEvents;
import org.hotline.dispatch.messaging.EventData;
import org.hotline.dispatch.messaging.TicketReceived;
import org.hotline.dispatch.model.Assignment;
import org.hotline.dispatch.model.AssignmentReason;
import org.hotline.dispatch.model.AssignmentRole;
import org.hotline.dispatch.model.AssignmentStatus;
import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.model.ExtensionRequest;
import org.hotline.dispatch.model.Stage;
import org.hotline.dispatch.model.Unit;
import org.hotline.dispatch.model.UnitStatus;
import org.hotline.dispatch.service.Transitions.AssignmentAction;
import org.hotline.dispatch.service.Transitions.TicketAction;
import org.jboss.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

/**
 * The command room's transitions. Every one locks the ticket row first (then, when assigning, the
 * unit row), so concurrent actions on one ticket serialize and a unit's capacity is never
 * overbooked; the unique index on open leads is the last line of defence.
 */
@ApplicationScoped
public class DispatchService {

    private static final Logger LOG = Logger.getLogger(DispatchService.class);
    /** The SLA stages dispatch ends (names from docs/events.md). */
    static final String RESPOND = "RESPOND";
    static final String DISPATCH_CONTACT = "DISPATCH_CONTACT";
    static final String ON_SCENE = "ON_SCENE";
    static final String RESOLVE = "RESOLVE";

    private final DispatchEvents events;
    private final Clock clock;
    private final DispatchConfig config;
    private final RecommendationService recommendations;
    private final DispatchMetrics metrics;
    private final Event<OfferMade> offers;

    public DispatchService(DispatchEvents events, Clock clock, DispatchConfig config,
            RecommendationService recommendations, DispatchMetrics metrics, Event<OfferMade> offers) {
        this.events = events;
        this.clock = clock;
        this.config = config;
        this.recommendations = recommendations;
        this.metrics = metrics;
        this.offers = offers;
    }

    /** A new ticket enters the street's queue; with auto-dispatch on for its category it goes to the top recommendation. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void onTicketReceived(TicketReceived received) {
        if (DispatchTicket.findById(received.ticketId()) != null) {
            return;
        }
        DispatchTicket t = new DispatchTicket();
        t.id = received.ticketId();
        t.street = received.street();
        t.grid = received.grid();
        t.category = received.category();
        t.complexity = received.complexity();
        t.address = received.address();
        t.latitude = received.latitude();
        t.longitude = received.longitude();
        t.reportedAt = received.reportedAt();
        t.receivedAt = received.receivedAt();
        t.callerPhoneMasked = received.callerPhoneMasked();
        t.stage = Stage.NEW;
        t.persist();
        events.queueChanged(t);
        if (config.autoDispatch(t.category)) {
            List<Recommendation> ranked = recommendations.recommend(t);
            if (ranked.isEmpty()) {
                LOG.warnf("no unit of street %s can take %s: ticket %s waits for the command room", t.street,
                        t.category, t.id);
                return;
            }
            try {
                assign(t, lockUnit(ranked.get(0).unitId()), AssignmentRole.LEAD, AssignmentReason.DISPATCH, true,
                        true, "system:auto-dispatch", null);
            } catch (ProblemException e) {
                // filled up since it was ranked: the command room dispatches it
                LOG.warnf("auto-dispatch of ticket %s failed: %s", t.id, e.getMessage());
            }
        }
    }

    /**
     * Creates one assignment and publishes assignment.created. The caller holds the ticket lock
     * and has locked the unit ({@link #lockUnit}). Refuses an off-duty or full unit, a unit already
     * working the ticket, and a second open lead.
     */
        public Assignment assign(DispatchTicket t, Unit unit, AssignmentRole role, AssignmentReason reason,
            boolean automatic, boolean recommended, String actor, UUID summonId) {
        assignable(t, unit);
        if (role == AssignmentRole.LEAD && openLead(t.id) != null) {
            throw ProblemException.conflict("ticket " + t.id + " already has a lead unit (" + openLead(t.id).unitId
                    + "): re-dispatch to change it");
        }
        if (role == AssignmentRole.LEAD) {
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
        a.persist();
        // the 3-minute stage ends when the ticket is dispatched and the caller contacted, whichever is last
        String ended = t.dispatchedAt == null && t.callerContactedAt != null ? DISPATCH_CONTACT : null;
        if (t.dispatchedAt == null) {
            t.dispatchedAt = now;
        }
        if (role == AssignmentRole.LEAD) {
            t.stage = Transitions.afterLeadAssigned(t.stage);
        }
        events.publish(ASSIGNMENT_CREATED, t, EventData.of(t, now, actor).assignment(a, unit)
                .put("unitName", unit.name).put("automatic", automatic).put("category", t.category)
                .put("address", t.address).put("dispatchedAt", now).put("reason", reason)
                .put("recommended", recommended).put("callerPhoneMasked", t.callerPhoneMasked)
                .put("ackDeadline", a.ackDeadline).put("summonId", summonId).put("stageEnded", ended));
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
        if (Assignment.count("unitId = ?1 and status in " + AssignmentStatus.OPEN_HQL, unit.id) >= unit.capacity) {
            throw ProblemException.conflict("unit " + unit.id + " is at capacity (" + unit.capacity + ")");
        }
        if (Assignment.count("ticketId = ?1 and unitId = ?2 and status in " + AssignmentStatus.OPEN_HQL, t.id,
                unit.id) > 0) {
            throw ProblemException.conflict("unit " + unit.id + " already works ticket " + t.id);
        }
    }

    /** Takes an open assignment away (re-dispatch, escalation, cancellation, close) and says so. */
        public void withdraw(DispatchTicket t, Assignment a, String why, String actor) {
        a.status = Transitions.check(t, a, AssignmentAction.WITHDRAW);
        a.endedAt = clock.instant();
        a.endedReason = why;
        events.publish(ASSIGNMENT_WITHDRAWN, t, EventData.of(t, a.endedAt, actor).assignment(a, unit(a.unitId))
                .put("reason", why));
    }

    /** 签收/受理: the command room takes the ticket; ends the 1-minute RESPOND stage. */
    @Transactional
    public DispatchTicket take(UUID id, String dispatcher) {
        DispatchTicket t = lockTicket(id);
        Transitions.check(t, TicketAction.TAKE);
        if (t.takenAt != null) {
            throw ProblemException.conflict("ticket " + id + " was already taken by " + t.takenBy + " at " + t.takenAt);
        }
        t.takenAt = clock.instant();
        t.takenBy = dispatcher;
        if (t.stage == Stage.NEW) {
            t.stage = Stage.TAKEN;
        }
        events.publish(TICKET_TAKEN, t, EventData.of(t, t.takenAt, dispatcher).put("stageEnded", RESPOND));
        return t;
    }

    /** The caller was told; with the ticket dispatched this ends the 3-minute DISPATCH_CONTACT stage. */
    @Transactional
    public DispatchTicket callerContacted(UUID id, String dispatcher) {
        DispatchTicket t = lockTicket(id);
        Transitions.check(t, TicketAction.CONTACT_CALLER);
        if (t.callerContactedAt != null) {
            throw ProblemException.conflict("the caller of ticket " + id + " was already contacted at "
                    + t.callerContactedAt);
        }
        t.callerContactedAt = clock.instant();
        t.callerContactedBy = dispatcher;
        events.publish(CALLER_CONTACTED, t, EventData.of(t, t.callerContactedAt, dispatcher)
                .put("stageEnded", t.dispatchedAt != null ? DISPATCH_CONTACT : null));
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
        DispatchTicket t = lockTicket(id);
        Transitions.check(t, TicketAction.DISPATCH);
        Set<String> seen = new HashSet<>();
        long leads = 0;
        for (UnitOrder o : orders) {
            if (!seen.add(o.unitId())) {
                throw ProblemException.badRequest("units", "unit " + o.unitId() + " is listed twice");
            }
            leads += o.role() == AssignmentRole.LEAD ? 1 : 0;
        }
        Assignment lead = openLead(t.id);
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
        String top = topRecommendation(t);
        UUID summon = whistle ? UUID.randomUUID() : null;
        List<Assignment> made = new java.util.ArrayList<>();
        // lock units in id order: two joint dispatches naming the same units cannot deadlock
        List<UnitOrder> sorted = orders.stream().sorted(java.util.Comparator.comparing(UnitOrder::unitId)).toList();
        for (UnitOrder o : sorted) {
            Unit u = lockUnit(o.unitId());
            AssignmentReason reason = o.role() == AssignmentRole.ASSIST && lead != null ? AssignmentReason.BACKUP
                    : AssignmentReason.DISPATCH;
            boolean recommended = u.id.equals(top);
            made.add(assign(t, u, o.role(), reason, false, recommended, dispatcher, summon));
            if (o.role() == AssignmentRole.LEAD) {
                metrics.recommendation(recommended);
            }
        }
        if (whistle) {
            events.publish(WHISTLE_BLOWN, t, EventData.of(t, clock.instant(), dispatcher).put("summonId", summon)
                    .put("unitIds", orders.stream().map(UnitOrder::unitId).toList()));
        }
        return made;
    }

    /**
     * 转派: the current lead (if any) is withdrawn and a new lead assigned: the named unit, or the
     * top recommendation among units that have not led this ticket. A pending return is accepted by it.
     */
    @Transactional
    public Assignment redispatch(UUID id, String dispatcher, String unitId, String why) {
        DispatchTicket t = lockTicket(id);
        return redispatchLocked(t, dispatcher, unitId, why, AssignmentReason.REDISPATCH);
    }

        Assignment redispatchLocked(DispatchTicket t, String actor, String unitId, String why, AssignmentReason reason) {
        Transitions.check(t, TicketAction.DISPATCH);
        if (t.dispatchedAt == null) {
            throw ProblemException.conflict("ticket " + t.id + " was never dispatched: dispatch it instead");
        }
        Assignment lead = openLead(t.id);
        String top = topRecommendation(t, notReassignable(t.id));
        String target = unitId != null ? unitId : top;
        if (target == null) {
            throw ProblemException.conflict("no other unit of street " + t.street + " can take " + t.category
                    + " now: name a unit");
        }
        if (lead != null && lead.unitId.equals(target)) {
            throw ProblemException.conflict("unit " + target + " already leads ticket " + t.id);
        }
        Unit u = lockUnit(target);
        assignable(t, u); // before withdrawing anything: a refusal leaves the ticket as it was
        if (lead != null) {
            withdraw(t, lead, reason.name(), actor);
            if (lead.automatic) {
                metrics.recommendation(false); // the command room overrode the automatic choice
            }
        }
        for (Assignment pending : pendingReturns(t.id)) {
            if (pending.role == AssignmentRole.LEAD) {
                decideReturn(t, pending, "ACCEPTED", actor, why);
            }
        }
        boolean recommended = target.equals(top);
        Assignment made = assign(t, u, AssignmentRole.LEAD, reason, false, recommended, actor, null);
        if (reason == AssignmentReason.REDISPATCH) {
            metrics.recommendation(recommended);
        }
        return made;
    }

    /**
     * The dispatcher accepts a return (退单): for a lead, that is a re-dispatch (to the named unit or
     * the top recommendation), unless another lead already works the ticket: then only the decision
     * is recorded (the current lead is never withdrawn by a stale return).
     */
    @Transactional
    public Assignment acceptReturn(UUID assignmentId, String dispatcher, String unitId, String note) {
        Assignment a = assignment(assignmentId);
        DispatchTicket t = lockTicket(a.ticketId);
        fresh(a);
        requirePendingReturn(t, a, AssignmentAction.ACCEPT_RETURN);
        if (a.role == AssignmentRole.LEAD && openLead(t.id) == null) {
            return redispatchLocked(t, dispatcher, unitId, note, AssignmentReason.REDISPATCH);
        }
        decideReturn(t, a, "ACCEPTED", dispatcher, note);
        return a;
    }

    /** The dispatcher rejects a return: the order goes back to the unit, as acknowledged. */
    @Transactional
    public Assignment rejectReturn(UUID assignmentId, String dispatcher, String note) {
        Assignment a = assignment(assignmentId);
        DispatchTicket t = lockTicket(a.ticketId);
        fresh(a);
        AssignmentStatus next = requirePendingReturn(t, a, AssignmentAction.REJECT_RETURN);
        Transitions.check(t, TicketAction.DISPATCH);
        if (a.role == AssignmentRole.LEAD && openLead(t.id) != null) {
            throw ProblemException.conflict("ticket " + t.id + " has another lead unit now");
        }
        // the order goes back to the unit: it must still be able to take it (the returned assignment
        // is not open, so the capacity and one-assignment-per-ticket checks leave it out)
        Unit u = lockUnit(a.unitId);
        try {
            assignable(t, u);
        } catch (ProblemException refused) {
            throw ProblemException.conflict("the return of assignment " + a.id + " cannot be rejected: "
                    + refused.getMessage());
        }
        decideReturn(t, a, "REJECTED", dispatcher, note);
        a.status = next;
        if (a.ackedAt == null) {
            a.ackedAt = a.returnDecidedAt;
            a.ackedBy = a.returnedBy;
        }
        if (a.role == AssignmentRole.LEAD) {
            t.stage = Transitions.afterLeadAssigned(t.stage);
        }
        return a;
    }

    private AssignmentStatus requirePendingReturn(DispatchTicket t, Assignment a, AssignmentAction action) {
        AssignmentStatus next = Transitions.check(t, a, action);
        if (a.returnDecision != null) {
            throw ProblemException.conflict("the return of assignment " + a.id + " was already " + a.returnDecision
                    + " by " + a.returnDecidedBy);
        }
        return next;
    }

    private void decideReturn(DispatchTicket t, Assignment a, String decision, String actor, String note) {
        a.returnDecision = decision;
        a.returnDecidedBy = actor;
        a.returnDecidedAt = clock.instant();
        events.publish("ACCEPTED".equals(decision) ? RETURN_ACCEPTED : RETURN_REJECTED, t,
                EventData.of(t, a.returnDecidedAt, actor).assignment(a, unit(a.unitId))
                        .put("reasonCode", a.returnReasonCode).put("note", note));
    }

    /** Close after the work was reported done (the lead resolved); assisting units still open are withdrawn. */
    @Transactional
    public DispatchTicket close(UUID id, String dispatcher) {
        DispatchTicket t = lockTicket(id);
        Transitions.check(t, TicketAction.CLOSE);
        for (Assignment a : openAssignments(t.id)) {
            withdraw(t, a, "CLOSED", dispatcher);
        }
        t.stage = Stage.CLOSED;
        t.closedAt = clock.instant();
        t.closedBy = dispatcher;
        events.publish(TICKET_CLOSED, t, EventData.of(t, t.closedAt, dispatcher).put("resolvedAt", t.resolvedAt));
        return t;
    }

    /** Intake cancelled the ticket: every open assignment is withdrawn (freeing capacity); later transitions are 409. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void onCancelled(UUID id, String reason, Instant cancelledAt) {
        DispatchTicket t = DispatchTicket.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (t == null || !t.stage.open()) {
            return;
        }
        Transitions.check(t, TicketAction.CANCEL);
        for (Assignment a : openAssignments(t.id)) {
            withdraw(t, a, "CANCELLED", "intake");
        }
        for (ExtensionRequest e : ExtensionRequest.<ExtensionRequest>list("ticketId = ?1 and status = ?2", t.id,
                ExtensionRequest.Status.PENDING)) {
            e.status = ExtensionRequest.Status.DENIED;
            e.decidedAt = clock.instant();
            e.decidedBy = "intake";
            e.decisionNote = "ticket cancelled";
        }
        t.stage = Stage.CANCELLED;
        t.cancelledAt = cancelledAt != null ? cancelledAt : clock.instant();
        events.queueChanged(t);
        // not the reason: the caller's own words may name him or give his number (docs/security.md)
        LOG.infof("ticket %s cancelled: assignments withdrawn", id);
    }

    /** The caller was dissatisfied: the ticket is back in the queue as new, for a new round. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void onReopened(UUID id) {
        DispatchTicket t = DispatchTicket.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (t == null || t.stage == Stage.CANCELLED) {
            return;
        }
        if (t.stage != Stage.RESOLVED && t.stage != Stage.CLOSED) {
            // a throw would make the inbox retry and dead-letter it, holding up the ticket's partition
            LOG.warnf("ticket.reopened for ticket %s ignored: dispatch has it %s (not resolved or closed)", id, t.stage);
            return;
        }
        t.stage = Stage.NEW;
        t.round++;
        t.takenAt = null;
        t.takenBy = null;
        t.dispatchedAt = null;
        t.callerContactedAt = null;
        t.callerContactedBy = null;
        t.onSceneAt = null;
        t.resolvedAt = null;
        t.closedAt = null;
        t.closedBy = null;
        events.queueChanged(t);
    }

    /** A supervisor approves an extension (延期): extension.approved moves that stage's deadline in the SLA service. */
    @Transactional
    public ExtensionRequest approveExtension(UUID extensionId, String supervisor, Instant newDeadline, String note) {
        ExtensionRequest e = extension(extensionId);
        DispatchTicket t = lockTicket(e.ticketId);
        fresh(e);
        requirePending(t, e);
        Instant deadline = newDeadline != null ? newDeadline : e.proposedDeadline;
        if (!deadline.isAfter(clock.instant())) {
            throw ProblemException.badRequest("newDeadline", "must be in the future");
        }
        e.status = ExtensionRequest.Status.APPROVED;
        e.decidedBy = supervisor;
        e.decidedAt = clock.instant();
        e.decisionNote = note;
        e.approvedDeadline = deadline;
        Assignment a = assignment(e.assignmentId);
        events.publish(EXTENSION_APPROVED, t, EventData.of(t, e.decidedAt, supervisor).assignment(a, unit(a.unitId))
                .put("stage", e.stage).put("newDeadline", deadline).put("approvedBy", supervisor)
                .put("reason", e.reason).put("extensionId", e.id).put("requestedBy", e.requestedBy)
                .put("proposedDeadline", e.proposedDeadline).put("note", note));
        return e;
    }

    @Transactional
    public ExtensionRequest denyExtension(UUID extensionId, String supervisor, String note) {
        ExtensionRequest e = extension(extensionId);
        DispatchTicket t = lockTicket(e.ticketId);
        fresh(e);
        requirePending(t, e);
        e.status = ExtensionRequest.Status.DENIED;
        e.decidedBy = supervisor;
        e.decidedAt = clock.instant();
        e.decisionNote = note;
        Assignment a = assignment(e.assignmentId);
        events.publish(EXTENSION_DENIED, t, EventData.of(t, e.decidedAt, supervisor).assignment(a, unit(a.unitId))
                .put("stage", e.stage).put("extensionId", e.id).put("proposedDeadline", e.proposedDeadline)
                .put("reason", e.reason).put("note", note));
        return e;
    }

    private void requirePending(DispatchTicket t, ExtensionRequest e) {
        if (!t.stage.open()) {
            throw ProblemException.conflict("ticket " + t.id + " is " + t.stage);
        }
        if (e.status != ExtensionRequest.Status.PENDING) {
            throw ProblemException.conflict("extension " + e.id + " was already " + e.status + " by " + e.decidedBy);
        }
    }

    // --- reads and helpers ---

    /**
     * Where an action belongs, for the scope check before it: plain values, not entities, so
     * nothing the action then changes sits stale in the request's session (the views read after it).
     */
    public record Scope(UUID ticketId, String street, String unitId) {
    }

    /** The ticket's street (404 if there is no such ticket). */
    public Scope ticketScope(UUID ticketId) {
        List<String> street = DispatchTicket.getEntityManager()
                .createQuery("select t.street from DispatchTicket t where t.id = ?1", String.class)
                .setParameter(1, ticketId).getResultList();
        if (street.isEmpty()) {
            throw ProblemException.notFound("ticket", ticketId);
        }
        return new Scope(ticketId, street.get(0), null);
    }

    /** The assignment's ticket, its street and the assignment's unit (404 if there is no such assignment). */
    public Scope assignmentScope(UUID assignmentId) {
        List<Object[]> row = Assignment.getEntityManager().createQuery("select a.ticketId, t.street, a.unitId "
                + "from Assignment a, DispatchTicket t where a.id = ?1 and t.id = a.ticketId", Object[].class)
                .setParameter(1, assignmentId).getResultList();
        if (row.isEmpty()) {
            throw ProblemException.notFound("assignment", assignmentId);
        }
        return new Scope((UUID) row.get(0)[0], (String) row.get(0)[1], (String) row.get(0)[2]);
    }

    /** The extension's ticket and its street (404 if there is no such extension request). */
    public Scope extensionScope(UUID extensionId) {
        List<Object[]> row = ExtensionRequest.getEntityManager().createQuery("select e.ticketId, t.street "
                + "from ExtensionRequest e, DispatchTicket t where e.id = ?1 and t.id = e.ticketId", Object[].class)
                .setParameter(1, extensionId).getResultList();
        if (row.isEmpty()) {
            throw ProblemException.notFound("extension", extensionId);
        }
        return new Scope((UUID) row.get(0)[0], (String) row.get(0)[1], null);
    }

    public DispatchTicket ticket(UUID id) {
        DispatchTicket t = DispatchTicket.findById(id);
        if (t == null) {
            throw ProblemException.notFound("ticket", id);
        }
        return t;
    }

    public List<Assignment> assignments(UUID ticketId) {
        return Assignment.list("ticketId = ?1 order by createdAt, id", ticketId);
    }

    public List<ExtensionRequest> extensions(UUID ticketId) {
        return ExtensionRequest.list("ticketId = ?1 order by requestedAt", ticketId);
    }

    public Assignment assignment(UUID id) {
        Assignment a = Assignment.findById(id);
        if (a == null) {
            throw ProblemException.notFound("assignment", id);
        }
        return a;
    }

    ExtensionRequest extension(UUID id) {
        ExtensionRequest e = ExtensionRequest.findById(id);
        if (e == null) {
            throw ProblemException.notFound("extension", id);
        }
        return e;
    }

    public Unit unit(String id) {
        Unit u = Unit.findById(id);
        if (u == null) {
            throw ProblemException.notFound("unit", id);
        }
        return u;
    }

    Assignment openLead(UUID ticketId) {
        return Assignment.<Assignment>find("ticketId = ?1 and role = ?2 and status in " + AssignmentStatus.OPEN_HQL,
                ticketId, AssignmentRole.LEAD).firstResult();
    }

    List<Assignment> openAssignments(UUID ticketId) {
        return Assignment.list("ticketId = ?1 and status in " + AssignmentStatus.OPEN_HQL + " order by createdAt",
                ticketId);
    }

    List<Assignment> pendingReturns(UUID ticketId) {
        return Assignment.list("ticketId = ?1 and status = ?2 and returnDecision is null", ticketId,
                AssignmentStatus.RETURNED);
    }

    /** Units that led this ticket before (returned, lapsed, withdrawn): not offered it again automatically. */
    Set<String> formerLeads(UUID ticketId) {
        return new HashSet<>(Assignment.<Assignment>list("ticketId = ?1 and role = ?2", ticketId, AssignmentRole.LEAD)
                .stream().map(a -> a.unitId).toList());
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

    /** Every transition locks the ticket row first: concurrent actions on one ticket serialize. */
        public DispatchTicket lockTicket(UUID id) {
        DispatchTicket t = DispatchTicket.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (t == null) {
            throw ProblemException.notFound("ticket", id);
        }
        return t;
    }

    /**
     * Re-reads an entity loaded before the ticket lock was taken: what it said then may have been
     * changed by the transaction we just waited for (found by the ack-versus-re-dispatch race test).
     */
    public <T> T fresh(T entity) {
        Assignment.getEntityManager().refresh(entity);
        return entity;
    }

    /** Then the unit row, when assigning: its capacity check and the new assignment are one decision. */
        public Unit lockUnit(String id) {
        Unit u = Unit.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (u == null) {
            throw new ProblemException(422, "Unprocessable", "unit " + id + " does not exist");
        }
        return u;
    }
}

package org.hotline.dispatch.service;

import static org.hotline.dispatch.messaging.DispatchEvents.ASSIGNMENT_ACKNOWLEDGED;
import static org.hotline.dispatch.messaging.DispatchEvents.ASSIGNMENT_ARRIVED;
import static org.hotline.dispatch.messaging.DispatchEvents.ASSIGNMENT_RESOLVED;
import static org.hotline.dispatch.messaging.DispatchEvents.ASSIGNMENT_RETURNED;
import static org.hotline.dispatch.messaging.DispatchEvents.EXTENSION_REQUESTED;
import static org.hotline.dispatch.messaging.DispatchEvents.TICKET_PING_PONG;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.hotline.backbone.web.ProblemException;
import org.hotline.dispatch.config.DispatchConfig;
import org.hotline.dispatch.messaging.DispatchEvents;
import org.hotline.dispatch.messaging.AssignmentAcknowledged;
import org.hotline.dispatch.messaging.AssignmentArrived;
import org.hotline.dispatch.messaging.AssignmentResolved;
import org.hotline.dispatch.messaging.AssignmentReturned;
import org.hotline.dispatch.messaging.ExtensionRequested;
import org.hotline.dispatch.messaging.TicketPingPong;
import org.hotline.dispatch.model.Assignment;
import org.hotline.dispatch.model.AssignmentRole;
import org.hotline.dispatch.model.AssignmentStatus;
import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.model.ExtensionRequest;
import org.hotline.dispatch.model.SlaStage;
import org.hotline.dispatch.model.Stage;
import org.hotline.dispatch.model.Unit;
import org.hotline.dispatch.model.UnitMember;
import org.hotline.dispatch.repository.AssignmentRepository;
import org.hotline.dispatch.repository.ExtensionRepository;
import org.hotline.dispatch.repository.TicketRepository;
import org.hotline.dispatch.repository.UnitRepository;
import org.hotline.dispatch.service.Transitions.AssignmentAction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * The field team's phone: a member acts for his unit on its assignments. Who he is comes from his
 * token (or a signed one-tap link); the roster must agree: the member must belong to the
 * assignment's unit.
 */
@ApplicationScoped
public class FieldService {

    /** Why a unit sends an order back (退单). */
    public enum ReturnReason {
        NOT_OUR_JURISDICTION, NOT_OUR_RESPONSIBILITY, WRONG_ADDRESS, DUPLICATE, CANNOT_REACH_CALLER, OTHER
    }

    /** What the unit reports when it is done (办结). */
    public enum Outcome {
        SOLVED, PARTIALLY_SOLVED, EXPLAINED, NOT_SOLVABLE, NO_PROBLEM_FOUND
    }

    private final DispatchLookup lookup;
    private final DispatchEvents events;
    private final DispatchConfig config;
    private final Clock clock;
    private final DispatchMetrics metrics;
    private final TicketRepository tickets;
    private final AssignmentRepository assignments;
    private final ExtensionRepository extensions;
    private final UnitRepository units;

    public FieldService(DispatchLookup lookup, DispatchEvents events, DispatchConfig config, Clock clock,
            DispatchMetrics metrics, TicketRepository tickets, AssignmentRepository assignments,
            ExtensionRepository extensions, UnitRepository units) {
        this.tickets = tickets;
        this.assignments = assignments;
        this.extensions = extensions;
        this.units = units;
        this.lookup = lookup;
        this.events = events;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** The member as the roster has him; 403 if the roster does not know him. */
    public UnitMember member(String memberId) {
        UnitMember m = memberId == null ? null : units.member(memberId);
        if (m == null) {
            throw notOnTheRoster(memberId);
        }
        return m;
    }

    private static ProblemException notOnTheRoster(String memberId) {
        return ProblemException.forbidden("member " + memberId + " is not a member of any unit");
    }

    /**
     * The unit's assignments, for one of its members: open ones (and returns awaiting the
     * dispatcher), or all. 403 if the roster does not put the member in that unit.
     */
    public List<Assignment> assignments(String memberId, String unitId, boolean all) {
        UnitMember m = member(memberId);
        if (!m.unitId.equals(unitId)) {
            throw ProblemException.forbidden("member " + memberId + " belongs to unit " + m.unitId + ", not to " + unitId);
        }
        return assignments.ofUnit(unitId, all);
    }

    /** The assignment's ticket as it stands (null if it is gone), for the member's view. */
    public DispatchTicket ticketOf(Assignment a) {
        return tickets.find(a.ticketId);
    }

    private record Locked(DispatchTicket ticket, Assignment assignment, Unit unit) {
    }

    /**
     * Locks the ticket (the order every transition follows) and reads the assignment after the lock,
     * then checks the member against the assignment's unit. The first read of both in the transaction.
     */
    private Locked lock(UUID assignmentId, String memberId) {
        Unit unit = memberId == null ? null : units.unitOfMember(memberId);
        if (unit == null) {
            throw notOnTheRoster(memberId);
        }
        DispatchTicket t = lookup.lockTicketOfAssignment(assignmentId);
        Assignment a = lookup.assignment(assignmentId);
        if (!unit.id.equals(a.unitId)) {
            throw ProblemException.forbidden("member " + memberId + " belongs to unit " + unit.id + ", not to "
                    + a.unitId);
        }
        return new Locked(t, a, unit);
    }

    /** 签收: the unit has the order. */
    @Transactional
    public Assignment acknowledge(UUID assignmentId, String memberId) {
        Locked l = lock(assignmentId, memberId);
        Assignment a = l.assignment();
        a.status = Transitions.check(l.ticket(), a, AssignmentAction.ACKNOWLEDGE);
        a.ackedAt = clock.instant();
        a.ackedBy = memberId;
        events.publish(ASSIGNMENT_ACKNOWLEDGED, l.ticket(), AssignmentAcknowledged.of(l.ticket(), a.ackedAt, memberId, a,
                l.unit()));
        return a;
    }

    /** On scene; the lead's first arrival ends ON_SCENE. Coordinates far from the ticket flag the arrival. */
    @Transactional
    public Assignment arrive(UUID assignmentId, String memberId, Double latitude, Double longitude) {
        if ((latitude == null) != (longitude == null)) {
            throw ProblemException.badRequest(latitude == null ? "latitude" : "longitude",
                    "give both coordinates or neither");
        }
        Locked l = lock(assignmentId, memberId);
        DispatchTicket t = l.ticket();
        Assignment a = l.assignment();
        a.status = Transitions.check(t, a, AssignmentAction.ARRIVE);
        a.arrivedAt = clock.instant();
        a.arrivedBy = memberId;
        a.arrivalLatitude = latitude;
        a.arrivalLongitude = longitude;
        if (latitude != null && t.latitude != null && t.longitude != null) {
            a.arrivalDistanceMeters = RecommendationService.distance(t.latitude, t.longitude, latitude, longitude);
            a.arrivalFlagged = a.arrivalDistanceMeters > config.arrival().maxDistance();
        }
        Set<SlaStage> met = SlaStage.allMet(t);
        if (a.role == AssignmentRole.LEAD && t.onSceneAt == null) {
            t.onSceneAt = a.arrivedAt;
        }
        if (a.role == AssignmentRole.LEAD && t.stage == Stage.DISPATCHED) {
            t.stage = Stage.ON_SCENE;
        }
        events.publish(ASSIGNMENT_ARRIVED, t, AssignmentArrived.of(t, a.arrivedAt, memberId, a, l.unit(), latitude,
                longitude, SlaStage.endedSince(met, t)));
        return a;
    }

    /** 办结: the unit reports its result; the lead's ends RESOLVE. */
    @Transactional
    public Assignment resolve(UUID assignmentId, String memberId, Outcome outcome, String note) {
        Locked l = lock(assignmentId, memberId);
        DispatchTicket t = l.ticket();
        Assignment a = l.assignment();
        a.status = Transitions.check(t, a, AssignmentAction.RESOLVE);
        a.resolvedAt = clock.instant();
        a.resolvedBy = memberId;
        a.outcome = outcome.name();
        a.note = note;
        Set<SlaStage> met = SlaStage.allMet(t);
        if (a.role == AssignmentRole.LEAD) {
            t.resolvedAt = a.resolvedAt;
            t.stage = Stage.RESOLVED;
        }
        events.publish(ASSIGNMENT_RESOLVED, t, AssignmentResolved.of(t, a.resolvedAt, memberId, a, l.unit(),
                outcome.name(), note, SlaStage.endedSince(met, t)));
        return a;
    }

    /**
     * 退单: the unit sends the order back with a reason; the dispatcher decides. A lead return puts
     * the ticket back to be dispatched; more returns than dispatch.ping-pong.max-returns is ping-pong.
     */
    @Transactional
    public Assignment returnAssignment(UUID assignmentId, String memberId, ReturnReason reason, String note) {
        Locked l = lock(assignmentId, memberId);
        DispatchTicket t = l.ticket();
        Assignment a = l.assignment();
        a.status = Transitions.check(t, a, AssignmentAction.RETURN);
        a.returnedAt = clock.instant();
        a.returnedBy = memberId;
        a.returnReasonCode = reason.name();
        a.returnNote = note;
        // a new return awaits a new decision (the previous one stays in the events)
        a.returnDecision = null;
        a.returnDecidedBy = null;
        a.returnDecidedAt = null;
        if (a.role == AssignmentRole.LEAD) {
            t.returnCount++;
            t.stage = Transitions.afterLeadGone(t);
        }
        events.publish(ASSIGNMENT_RETURNED, t, AssignmentReturned.of(t, a.returnedAt, memberId, a, l.unit(),
                reason.name(), note));
        metrics.returned(reason.name());
        if (a.role == AssignmentRole.LEAD && t.returnCount > config.pingPong().maxReturns()) {
            events.publish(TICKET_PING_PONG, t, TicketPingPong.of(t, a.returnedAt, memberId,
                    config.pingPong().maxReturns(), a.unitId, reason.name()));
        }
        return a;
    }

    /** 延期: ask for more time on a stage; a supervisor decides. One pending request per stage. */
    @Transactional
    public ExtensionRequest requestExtension(UUID assignmentId, String memberId, String stage, String reason,
            Instant proposedDeadline) {
        Instant now = clock.instant();
        if (!proposedDeadline.isAfter(now)) {
            throw ProblemException.badRequest("proposedDeadline", "must be in the future");
        }
        Locked l = lock(assignmentId, memberId);
        DispatchTicket t = l.ticket();
        Assignment a = l.assignment();
        Transitions.check(t, a, AssignmentAction.REQUEST_EXTENSION);
        if (extensions.pending(t.id, stage)) {
            throw ProblemException.conflict("an extension of " + stage + " for ticket " + t.id + " is already pending");
        }
        ExtensionRequest e = new ExtensionRequest();
        e.id = UUID.randomUUID();
        e.ticketId = t.id;
        e.assignmentId = a.id;
        e.stage = stage;
        e.reason = reason;
        e.proposedDeadline = proposedDeadline;
        e.requestedBy = memberId;
        e.requestedAt = now;
        e.status = ExtensionRequest.Status.PENDING;
        e.persist();
        events.publish(EXTENSION_REQUESTED, t, ExtensionRequested.of(t, now, memberId, a, l.unit(), e));
        return e;
    }
}

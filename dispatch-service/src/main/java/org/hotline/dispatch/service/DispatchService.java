package org.hotline.dispatch.service;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import org.hotline.backbone.outbox.Outbox;
import org.hotline.backbone.web.ProblemException;
import org.hotline.dispatch.config.DispatchConfig;
import org.hotline.dispatch.messaging.AssignmentCreated;
import org.hotline.dispatch.messaging.StageTransition;
import org.hotline.dispatch.messaging.TicketReceived;
import org.hotline.dispatch.model.Assignment;
import org.hotline.dispatch.model.AssignmentRole;
import org.hotline.dispatch.model.AssignmentStatus;
import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.model.Stage;
import org.hotline.dispatch.model.Unit;
import org.jboss.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

@ApplicationScoped
public class DispatchService {

    private static final Logger LOG = Logger.getLogger(DispatchService.class);
    public static final String ASSIGNMENT_CREATED = "assignment.created";
    public static final String TICKET_TAKEN = "ticket.taken";
    public static final String CALLER_CONTACTED = "caller.contacted";
    /** The SLA stages dispatch ends (names from docs/events.md). */
    static final String RESPOND = "RESPOND";
    static final String DISPATCH_CONTACT = "DISPATCH_CONTACT";

    private final Outbox outbox;
    private final Clock clock;
    private final DispatchConfig config;
    private final RecommendationService recommendations;

    public DispatchService(Outbox outbox, Clock clock, DispatchConfig config, RecommendationService recommendations) {
        this.outbox = outbox;
        this.clock = clock;
        this.config = config;
        this.recommendations = recommendations;
    }

    /** A new ticket enters the street's queue; with auto-dispatch it goes to the top recommendation. */
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
        t.stage = Stage.NEW;
        t.persist();
        if (config.autoDispatch()) {
            List<Recommendation> ranked = recommendations.recommend(t);
            if (ranked.isEmpty()) {
                LOG.warnf("no unit of street %s handles %s: ticket %s waits for the command room", t.street,
                        t.category, t.id);
                return;
            }
            assign(t, ranked.get(0).unitId(), AssignmentRole.LEAD, true);
        }
    }

    private Assignment assign(DispatchTicket t, String unitId, AssignmentRole role, boolean automatic) {
        Unit unit = Unit.findById(unitId);
        Assignment a = new Assignment();
        a.id = UUID.randomUUID();
        a.ticketId = t.id;
        a.unitId = unit.id;
        a.role = role;
        a.status = AssignmentStatus.OFFERED;
        a.automatic = automatic;
        a.createdAt = clock.instant();
        a.persist();
        // the 3-minute stage ends when the ticket is dispatched and the caller contacted, whichever is last
        String ended = t.dispatchedAt == null && t.callerContactedAt != null ? DISPATCH_CONTACT : null;
        if (t.dispatchedAt == null) {
            t.dispatchedAt = a.createdAt;
        }
        if (t.stage == Stage.NEW || t.stage == Stage.TAKEN) {
            t.stage = Stage.DISPATCHED;
        }
        outbox.publish(config.topics().dispatchEvents(), ASSIGNMENT_CREATED, t.id.toString(),
                new AssignmentCreated(t.id.toString(), a.id.toString(), unit.id, unit.name, unit.type.name(),
                        role.name(), automatic, t.street, t.category, t.address, a.createdAt, ended,
                        ended == null ? null : a.createdAt));
        return a;
    }

    /** 签收/受理: the command room takes the ticket; ends the 1-minute RESPOND stage. */
    @Transactional
    public DispatchTicket take(UUID id, String dispatcher) {
        DispatchTicket t = lockTicket(id);
        if (t.stage == Stage.CANCELLED || t.stage == Stage.RESOLVED) {
            throw ProblemException.conflict("ticket " + id + " is " + t.stage + ": it cannot be taken");
        }
        if (t.takenAt != null) {
            throw ProblemException.conflict("ticket " + id + " was already taken by " + t.takenBy + " at " + t.takenAt);
        }
        t.takenAt = clock.instant();
        t.takenBy = dispatcher;
        if (t.stage == Stage.NEW) {
            t.stage = Stage.TAKEN;
        }
        outbox.publish(config.topics().dispatchEvents(), TICKET_TAKEN, id.toString(),
                new StageTransition(id.toString(), dispatcher, t.takenAt, RESPOND));
        return t;
    }

    /** The caller was told; with the ticket dispatched this ends the 3-minute DISPATCH_CONTACT stage. */
    @Transactional
    public DispatchTicket callerContacted(UUID id, String dispatcher) {
        DispatchTicket t = lockTicket(id);
        if (t.stage == Stage.CANCELLED) {
            throw ProblemException.conflict("ticket " + id + " is cancelled");
        }
        if (t.callerContactedAt != null) {
            throw ProblemException.conflict("the caller of ticket " + id + " was already contacted at "
                    + t.callerContactedAt);
        }
        t.callerContactedAt = clock.instant();
        t.callerContactedBy = dispatcher;
        outbox.publish(config.topics().dispatchEvents(), CALLER_CONTACTED, id.toString(),
                new StageTransition(id.toString(), dispatcher, t.callerContactedAt,
                        t.dispatchedAt != null ? DISPATCH_CONTACT : null));
        return t;
    }

    public DispatchTicket ticket(UUID id) {
        DispatchTicket t = DispatchTicket.findById(id);
        if (t == null) {
            throw ProblemException.notFound("ticket", id);
        }
        return t;
    }

    public List<Assignment> assignments(UUID ticketId) {
        return Assignment.list("ticketId = ?1 order by createdAt", ticketId);
    }

    /** Every transition locks the ticket row first: concurrent actions on one ticket serialize. */
    @Transactional(Transactional.TxType.MANDATORY)
    DispatchTicket lockTicket(UUID id) {
        DispatchTicket t = DispatchTicket.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (t == null) {
            throw ProblemException.notFound("ticket", id);
        }
        return t;
    }
}

package org.hotline.dispatch.service;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import org.hotline.backbone.outbox.Outbox;
import org.hotline.backbone.web.ProblemException;
import org.hotline.dispatch.config.DispatchConfig;
import org.hotline.dispatch.messaging.AssignmentCreated;
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
        t.stage = Stage.DISPATCHED;
        outbox.publish(config.topics().dispatchEvents(), ASSIGNMENT_CREATED, t.id.toString(),
                new AssignmentCreated(t.id.toString(), a.id.toString(), unit.id, unit.name, unit.type.name(),
                        role.name(), automatic, t.street, t.category, t.address, a.createdAt));
        return a;
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

    @Transactional
    public DispatchTicket lockTicket(UUID id) {
        DispatchTicket t = DispatchTicket.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (t == null) {
            throw ProblemException.notFound("ticket", id);
        }
        return t;
    }
}

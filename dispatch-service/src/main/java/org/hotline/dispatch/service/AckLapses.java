package org.hotline.dispatch.service;

import static org.hotline.dispatch.messaging.DispatchEvents.ASSIGNMENT_ACK_LAPSED;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import org.hotline.backbone.web.ProblemException;
import org.hotline.dispatch.messaging.DispatchEvents;
import org.hotline.dispatch.messaging.AssignmentAckLapsed;
import org.hotline.dispatch.model.Assignment;
import org.hotline.dispatch.model.AssignmentReason;
import org.hotline.dispatch.model.AssignmentRole;
import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.model.Unit;
import org.hotline.dispatch.repository.AssignmentRepository;
import org.hotline.dispatch.repository.TicketRepository;
import org.hotline.dispatch.repository.UnitRepository;
import org.hotline.dispatch.service.Transitions.AssignmentAction;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * One pass of the acknowledgement timeout: lead offers past their ack deadline lapse and pass to
 * the next recommended unit (one that has not led the ticket). The due time is a column, so a
 * restart loses nothing; tickets are claimed with FOR UPDATE SKIP LOCKED, so replicas share the
 * work and a console action holding a ticket is never waited on (it is picked up next pass).
 */
@ApplicationScoped
public class AckLapses {

    private static final Logger LOG = Logger.getLogger(AckLapses.class);

    private final TicketRepository tickets;
    private final AssignmentRepository assignments;
    private final UnitRepository units;
    private final Clock clock;
    private final DispatchLookup lookup;
    private final AssignmentService assigning;
    private final DispatchEvents events;
    private final DispatchMetrics metrics;

    public AckLapses(TicketRepository tickets, AssignmentRepository assignments, UnitRepository units, Clock clock,
            DispatchLookup lookup, AssignmentService assigning, DispatchEvents events, DispatchMetrics metrics) {
        this.tickets = tickets;
        this.assignments = assignments;
        this.units = units;
        this.clock = clock;
        this.lookup = lookup;
        this.assigning = assigning;
        this.events = events;
        this.metrics = metrics;
    }

    /**
     * Lapses what is due, at most {@code batch} tickets; returns how many tickets it handled. Each
     * ticket in its own transaction: one transaction locking several tickets' next units in ticket
     * order could deadlock with a console action locking them in another order.
     */
    public int lapseDue(int batch) {
        Instant now = clock.instant();
        int handled = 0;
        while (handled < batch && QuarkusTransaction.requiringNew().call(() -> lapseOne(now))) {
            handled++;
        }
        return handled;
    }

    /** Claims one due ticket (FOR UPDATE SKIP LOCKED: restart-safe, replicas share) and lapses its offer; false: none due. */
    private boolean lapseOne(Instant now) {
        UUID id = tickets.claimLapsedOffer(now);
        if (id == null) {
            return false;
        }
        DispatchTicket t = tickets.refresh(tickets.find(id));
        Assignment a = assignments.lapsedLeadOffer(id, now);
        if (a == null || !t.stage.open()) {
            return false; // nothing to lapse after all: end the pass rather than claim it again
        }
        lapse(t, a, now);
        return true;
    }

    private void lapse(DispatchTicket t, Assignment a, Instant now) {
        Unit lapsedUnit = lookup.unit(a.unitId);
        a.status = Transitions.check(t, a, AssignmentAction.LAPSE);
        a.endedAt = now;
        a.endedReason = "ACK_TIMEOUT";
        t.stage = Transitions.afterLeadGone(t);
        metrics.ackLapsed(lapsedUnit.type.name());
        Assignment next = null;
        String nextUnit = assigning.topRecommendation(t, assigning.notReassignable(t.id));
        if (nextUnit != null) {
            try {
                next = assigning.assign(t, lookup.lockUnit(nextUnit), AssignmentRole.LEAD, AssignmentReason.ACK_LAPSE,
                        true, true, "system:ack-timeout", null);
            } catch (ProblemException e) {
                LOG.warnf("ack lapse of ticket %s: next unit %s refused: %s", t.id, nextUnit, e.getMessage());
            }
        }
        if (next == null) {
            LOG.warnf("ticket %s: unit %s did not acknowledge and no other unit can take it: back to the command room",
                    t.id, a.unitId);
        }
        events.publish(ASSIGNMENT_ACK_LAPSED, t, AssignmentAckLapsed.of(t, now, "system:ack-timeout", a, lapsedUnit,
                next));
    }

    /** When the next offer falls due (null: none pending), to sleep until then. */
    @Transactional
    public Instant nextDue() {
        return assignments.nextAckDeadline();
    }

    @Transactional
    public void refreshGauges() {
        metrics.refreshOpen(units.openLoads());
    }
}

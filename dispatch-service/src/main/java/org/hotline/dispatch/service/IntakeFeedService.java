package org.hotline.dispatch.service;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.hotline.backbone.web.ProblemException;
import org.hotline.dispatch.config.DispatchConfig;
import org.hotline.dispatch.messaging.DispatchEvents;
import org.hotline.dispatch.messaging.TicketReceived;
import org.hotline.dispatch.model.Assignment;
import org.hotline.dispatch.model.AssignmentReason;
import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.model.ExtensionRequest;
import org.hotline.dispatch.model.Stage;
import org.hotline.dispatch.repository.ExtensionRepository;
import org.hotline.dispatch.repository.TicketRepository;
import org.hotline.dispatch.service.Transitions.TicketAction;
import org.jboss.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * What intake's ticket events do to dispatch's copy of a ticket: a new ticket enters the street's
 * queue (and is auto-dispatched where configured), a cancelled one has its assignments withdrawn,
 * a reopened one starts a new round.
 */
@ApplicationScoped
public class IntakeFeedService {

    private static final Logger LOG = Logger.getLogger(IntakeFeedService.class);

    /**
     * Which of a batch's received tickets dispatch has, found by {@link #knowReceived} in one query
     * and handed to {@link #onTicketReceived} for each of the batch's events; true only within the
     * batch's transaction. A ticket it did not check is looked up in the database.
     */
    public static final class Known {
        /** Nothing checked (an event applied alone): every ticket is looked up in the database. */
        public static final Known NONE = new Known(Set.of(), Set.of());

        private final Set<UUID> checked;
        /** Of {@link #checked}, those dispatch has, growing as the batch adds them. */
        private final Set<UUID> existing;

        private Known(Set<UUID> checked, Set<UUID> existing) {
            this.checked = checked;
            this.existing = existing;
        }

        private boolean checked(UUID id) {
            return id != null && checked.contains(id);
        }
    }

    private final DispatchEvents events;
    private final Clock clock;
    private final DispatchConfig config;
    private final RecommendationService recommendations;
    private final TicketRepository tickets;
    private final ExtensionRepository extensions;
    private final DispatchLookup lookup;
    private final AssignmentService assigning;

    public IntakeFeedService(DispatchEvents events, Clock clock, DispatchConfig config,
            RecommendationService recommendations, TicketRepository tickets, ExtensionRepository extensions,
            DispatchLookup lookup, AssignmentService assigning) {
        this.events = events;
        this.clock = clock;
        this.config = config;
        this.recommendations = recommendations;
        this.tickets = tickets;
        this.extensions = extensions;
        this.lookup = lookup;
        this.assigning = assigning;
    }

    /**
     * Which of a batch's received tickets dispatch has already, in one query (none for no tickets),
     * to hand to {@link #onTicketReceived} for the batch's events in this transaction: it then needs
     * no lookup of its own for them.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Known knowReceived(Collection<UUID> ticketIds) {
        return ticketIds.isEmpty() ? Known.NONE
                : new Known(Set.copyOf(ticketIds), new HashSet<>(tickets.existing(ticketIds)));
    }

    /**
     * A new ticket enters the street's queue; with auto-dispatch on for its category it goes to the
     * top recommendation. {@code known}: what {@link #knowReceived} found for its batch, or
     * {@link Known#NONE} for an event applied alone (the ticket is then looked up).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void onTicketReceived(TicketReceived received, Known known) {
        UUID id = received.ticketId();
        boolean checked = known.checked(id);
        if (checked ? known.existing.contains(id) : tickets.find(id) != null) {
            return;
        }
        if (checked) {
            known.existing.add(id); // a second ticket.received of it in the batch: a repeat
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
        // ranked before it is persisted: nothing of it is pending when the ranking flushes, and an
        // auto-dispatched ticket is inserted once, already dispatched (no update after the insert)
        List<Recommendation> ranked = config.autoDispatch(t.category) ? recommendations.recommend(t) : null;
        if (ranked != null && ranked.isEmpty()) {
            LOG.warnf("no unit of street %s can take %s: ticket %s waits for the command room", t.street,
                    t.category, t.id);
        } else if (ranked != null) {
            try {
                assigning.assignFirstLead(t, lookup.lockUnit(ranked.get(0).unitId()), AssignmentReason.DISPATCH,
                        true, true, "system:auto-dispatch");
            } catch (ProblemException e) {
                // filled up since it was ranked: the command room dispatches it
                LOG.warnf("auto-dispatch of ticket %s failed: %s", t.id, e.getMessage());
            }
        }
        if (!t.isPersistent()) {
            t.persist();
        }
        events.queueChanged(t);
    }

    /** Intake cancelled the ticket: every open assignment is withdrawn (freeing capacity); later transitions are 409. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void onCancelled(UUID id, String reason, Instant cancelledAt) {
        DispatchTicket t = tickets.lock(id);
        if (t == null || !t.stage.open()) {
            return;
        }
        Transitions.check(t, TicketAction.CANCEL);
        for (Assignment a : assigning.openAssignments(t.id)) {
            assigning.withdraw(t, a, "CANCELLED", "intake");
        }
        for (ExtensionRequest e : extensions.pending(t.id)) {
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
        DispatchTicket t = tickets.lock(id);
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
}

package org.hotline.intake.service;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import org.hotline.backbone.outbox.Outbox;
import org.hotline.backbone.web.ProblemException;
import org.hotline.intake.config.IntakeConfig;
import org.hotline.intake.messaging.TicketCancelled;
import org.hotline.intake.messaging.TicketReceived;
import org.hotline.intake.messaging.TicketReopened;
import org.hotline.intake.model.FollowUp;
import org.hotline.intake.model.Satisfaction;
import org.hotline.intake.model.Ticket;
import org.hotline.intake.model.TicketStatus;
import org.hotline.intake.rest.CreateTicketRequest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

@ApplicationScoped
public class TicketService {

    public static final String TICKET_RECEIVED = "ticket.received";
    public static final String TICKET_CANCELLED = "ticket.cancelled";
    public static final String TICKET_REOPENED = "ticket.reopened";

    private final Outbox outbox;
    private final Clock clock;
    private final IntakeConfig config;

    public TicketService(Outbox outbox, Clock clock, IntakeConfig config) {
        this.outbox = outbox;
        this.clock = clock;
        this.config = config;
    }

    /** Stores the ticket and its {@code ticket.received} event in one transaction. */
    @Transactional
    public Ticket receive(CreateTicketRequest req) {
        Instant now = clock.instant();
        if (req.reportedAt() != null && req.reportedAt().isAfter(now.plusSeconds(60))) {
            throw ProblemException.badRequest("reportedAt", "must not be in the future");
        }
        // a mistyped old date would breach every stage at once and escalate to the county centre
        if (req.reportedAt() != null && req.reportedAt().isBefore(now.minus(config.maxReportAge()))) {
            throw ProblemException.badRequest("reportedAt", "must be within " + config.maxReportAge().toDays()
                    + " days before now");
        }
        Ticket t = new Ticket();
        t.id = UUID.randomUUID();
        t.source = req.source();
        t.callerName = req.caller().name().strip();
        t.callerPhone = req.caller().phone().replace("-", "");
        t.address = req.location().address().strip();
        t.latitude = req.location().latitude();
        t.longitude = req.location().longitude();
        t.street = req.location().street().strip();
        t.grid = req.location().grid();
        t.category = req.category().strip();
        t.complexity = req.complexity();
        t.description = req.description().strip();
        t.upstreamRef = req.upstreamRef();
        t.status = TicketStatus.RECEIVED;
        t.receivedAt = now;
        t.reportedAt = req.reportedAt() == null ? now : req.reportedAt();
        t.persist();
        outbox.publish(config.topics().ticketEvents(), TICKET_RECEIVED, t.id.toString(),
                new TicketReceived(t.id.toString(), t.source.name(), t.category, t.complexity.name(), t.street,
                        t.grid, t.address, t.latitude, t.longitude, t.upstreamRef, t.reportedAt, t.receivedAt));
        return t;
    }

    /** Cancels an open ticket: every downstream clock stops. */
    @Transactional
    public Ticket cancel(UUID id, String reason) {
        Ticket t = lock(id);
        if (t.status == TicketStatus.CANCELLED) {
            throw ProblemException.conflict("ticket " + id + " is already cancelled");
        }
        t.status = TicketStatus.CANCELLED;
        t.cancelReason = reason.strip();
        t.cancelledAt = clock.instant();
        outbox.publish(config.topics().ticketEvents(), TICKET_CANCELLED, id.toString(),
                new TicketCancelled(id.toString(), t.cancelReason, t.cancelledAt));
        return t;
    }

    /** 回访: records the follow-up call; a dissatisfied caller reopens the ticket. */
    @Transactional
    public FollowUp followUp(UUID id, boolean reached, Satisfaction satisfaction, String comment) {
        Ticket t = lock(id);
        if (t.status == TicketStatus.CANCELLED) {
            throw ProblemException.conflict("ticket " + id + " is cancelled: there is nothing to follow up");
        }
        if (reached && satisfaction == null) {
            throw ProblemException.badRequest("satisfaction", "is required when the caller was reached");
        }
        if (!reached && satisfaction != null) {
            throw ProblemException.badRequest("satisfaction", "cannot be given when the caller was not reached");
        }
        FollowUp f = new FollowUp();
        f.id = UUID.randomUUID();
        f.ticketId = id;
        f.reached = reached;
        f.satisfaction = satisfaction;
        f.comment = comment;
        f.recordedAt = clock.instant();
        f.persist();
        if (satisfaction == Satisfaction.DISSATISFIED) {
            t.status = TicketStatus.REOPENED;
            outbox.publish(config.topics().ticketEvents(), TICKET_REOPENED, id.toString(),
                    new TicketReopened(id.toString(), "dissatisfied at follow-up", f.recordedAt));
        }
        return f;
    }

    /** Locks the ticket row so that its events are written in commit order. */
    private Ticket lock(UUID id) {
        Ticket t = Ticket.findById(id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (t == null) {
            throw ProblemException.notFound("ticket", id);
        }
        return t;
    }

    public Ticket get(UUID id) {
        Ticket t = Ticket.findById(id);
        if (t == null) {
            throw ProblemException.notFound("ticket", id);
        }
        return t;
    }
}

package org.hotline.intake.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.hotline.backbone.security.Mask;
import org.hotline.backbone.web.ProblemException;
import org.hotline.intake.config.IntakeConfig;
import org.hotline.intake.messaging.ClosedByCommandRoom;
import org.hotline.intake.messaging.FollowUpRecorded;
import org.hotline.intake.messaging.TicketCancelled;
import org.hotline.intake.messaging.TicketEvents;
import org.hotline.intake.messaging.TicketReceived;
import org.hotline.intake.messaging.TicketReopened;
import org.hotline.intake.messaging.TicketRepeatOverridden;
import org.hotline.intake.model.Category;
import org.hotline.intake.model.CreateTicketRequest;
import org.hotline.intake.model.FollowUp;
import org.hotline.intake.model.ReceiveResult;
import org.hotline.intake.model.RepeatReport;
import org.hotline.intake.model.Satisfaction;
import org.hotline.intake.model.Ticket;
import org.hotline.intake.model.TicketStatus;
import org.hotline.intake.repository.RepeatRepository;
import org.hotline.intake.repository.TicketRepository;
import org.jboss.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * A ticket's life at intake, the same for every channel (operator REST, 110 hand-over, 12345
 * platform): received (or recorded as a repeat, or answered from an earlier identical report),
 * cancelled, closed by the command room, followed up (and reopened), a repeat overridden into a
 * ticket of its own. Each change with its event and history entry in one transaction.
 */
@ApplicationScoped
public class TicketService {

    private static final Logger LOG = Logger.getLogger(TicketService.class);

    private final TicketRepository tickets;
    private final RepeatRepository repeats;
    private final IdempotencyService idempotency;
    private final RepeatService repeatMatching;
    private final CategoryCatalogue catalogue;
    private final StreetRegistry streets;
    private final TicketEvents events;
    private final IntakeMetrics metrics;
    private final IntakeConfig config;
    private final Clock clock;

    public TicketService(TicketRepository tickets, RepeatRepository repeats, IdempotencyService idempotency,
            RepeatService repeatMatching, CategoryCatalogue catalogue, StreetRegistry streets, TicketEvents events,
            IntakeMetrics metrics, IntakeConfig config, Clock clock) {
        this.tickets = tickets;
        this.repeats = repeats;
        this.idempotency = idempotency;
        this.repeatMatching = repeatMatching;
        this.catalogue = catalogue;
        this.streets = streets;
        this.events = events;
        this.metrics = metrics;
        this.config = config;
        this.clock = clock;
    }

    /**
     * The rules a report must meet that need no write (its shape already validated): its report
     * time, its coordinates, an active category, street and grid. Refuses with 400; returns the
     * category the report names. Writes nothing, so a report it refuses fails alone, not the group
     * commit it came in.
     */
    public Category check(CreateTicketRequest req) {
        checkReportedAt(req.reportedAt(), clock.instant());
        if ((req.location().latitude() == null) != (req.location().longitude() == null)) {
            throw ProblemException.badRequest(req.location().latitude() == null ? "location.latitude"
                    : "location.longitude", "latitude and longitude come together or not at all");
        }
        Category category = catalogue.resolve(req.category());
        streets.check(req.location().street().strip(), grid(req));
        return category;
    }

    /** The caller's phone as a ticket stores it and repeat matching compares it: digits without dashes. */
    static String callerPhone(CreateTicketRequest req) {
        return req.caller().phone().replace("-", "");
    }

    /**
     * Takes the repeat-matching locks of the callers of several reports (that passed {@link #check})
     * at once, before {@link #receive} of each: a group commit pays one statement for them, not
     * one per report.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lockCallers(List<CreateTicketRequest> reqs) {
        if (config.repeat().enabled() && !reqs.isEmpty()) {
            repeatMatching.lockCallers(reqs.stream().map(TicketService::callerPhone).toList());
        }
    }

    /**
     * Takes in one report that passed {@link #check}: a new ticket with {@code ticket.received},
     * or a repeat of an open ticket with {@code ticket.repeat-reported}, or — for an
     * Idempotency-Key or upstream reference seen before — the first result again, writing nothing.
     * In the caller's transaction, which may hold other reports of the same group commit.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public ReceiveResult receive(CreateTicketRequest req, Category category, String idempotencyKey) {
        Instant now = clock.instant();
        String grid = grid(req);
        if (idempotencyKey != null) {
            ReceiveResult earlier = idempotency.claimKey(idempotencyKey, req, now);
            if (earlier != null) {
                return earlier;
            }
        }
        String upstreamRef = req.upstreamRef() == null || req.upstreamRef().isBlank() ? null : req.upstreamRef().strip();
        if (upstreamRef != null) {
            ReceiveResult earlier = idempotency.claimUpstreamRef(req.source(), upstreamRef, now);
            if (earlier != null) { // the key, if any, now answers with the same earlier result
                idempotency.settle(idempotencyKey, req.source(), null, earlier);
                return earlier;
            }
        }

        Ticket t = new Ticket();
        t.id = UUID.randomUUID();
        t.source = req.source();
        t.callerName = req.caller().name().strip();
        t.callerPhone = callerPhone(req);
        t.address = req.location().address().strip();
        t.latitude = req.location().latitude();
        t.longitude = req.location().longitude();
        t.street = req.location().street().strip();
        t.grid = grid;
        t.category = category.code;
        t.complexity = req.complexity() != null ? req.complexity() : category.defaultComplexity;
        t.description = req.description().strip();
        t.upstreamRef = upstreamRef;
        t.status = TicketStatus.RECEIVED;
        t.receivedAt = now;
        t.reportedAt = req.reportedAt() == null ? now : req.reportedAt();

        ReceiveResult result = config.repeat().enabled() ? repeatMatching.recordIfRepeat(t) : null;
        if (result == null) {
            open(t);
            if (LOG.isInfoEnabled()) { // every ticket's line: joined, not printf-formatted (issue 18, item 1)
                LOG.info("ticket " + t.id + " received: " + t.source + " " + t.category + " from " + t.street
                        + ", caller " + Mask.name(t.callerName) + " " + Mask.phone(t.callerPhone));
            }
            result = new ReceiveResult(ReceiveResult.Kind.TICKET, false, t, null);
        }
        idempotency.settle(idempotencyKey, t.source, upstreamRef, result);
        return result;
    }

    /**
     * "Not a repeat": the repeat leaves the original's count and becomes a ticket of its own, with
     * the repeat's id, its report time (the caller's clock started then) and {@code ticket.received}.
     */
    @Transactional
    public Ticket overrideRepeat(UUID ticketId, UUID repeatId, String reason, String by) {
        Ticket original = lock(ticketId);
        RepeatReport r = repeats.lock(repeatId);
        if (r == null || !r.ticketId.equals(ticketId)) {
            throw ProblemException.notFound("repeat report of ticket " + ticketId, repeatId);
        }
        if (r.status == RepeatReport.Status.OVERRIDDEN) {
            throw ProblemException.conflict("repeat " + repeatId + " was already overridden by " + r.overriddenBy);
        }
        Instant now = clock.instant();
        r.status = RepeatReport.Status.OVERRIDDEN;
        r.overriddenBy = by.strip();
        r.overrideReason = reason.strip();
        r.overriddenAt = now;
        original.repeatCount--;
        events.publish(original.id, TicketEvents.TICKET_REPEAT_OVERRIDDEN, new TicketRepeatOverridden(
                original.id.toString(), r.id.toString(), original.repeatCount, r.overriddenBy, r.overrideReason));

        Ticket t = new Ticket();
        t.id = r.id;
        t.source = r.source;
        t.callerName = r.callerName;
        t.callerPhone = r.callerPhone;
        t.address = r.address;
        t.latitude = r.latitude;
        t.longitude = r.longitude;
        t.street = r.street;
        t.grid = r.grid;
        t.category = r.category;
        t.complexity = r.complexity;
        t.description = r.description;
        t.upstreamRef = r.upstreamRef;
        t.status = TicketStatus.RECEIVED;
        t.reportedAt = r.reportedAt;
        t.receivedAt = now;
        open(t);
        idempotency.repeatBecameTicket(r.id);
        metrics.overridden();
        LOG.infof("repeat %s of ticket %s overridden by %s: now ticket %s", r.id, original.id, r.overriddenBy, t.id);
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
        events.publish(id, TicketEvents.TICKET_CANCELLED, new TicketCancelled(id.toString(), t.cancelReason,
                t.cancelledAt));
        LOG.infof("ticket %s cancelled", id);
        return t;
    }

    /**
     * The command room closed the ticket after the work was reported done (dispatch's ticket.closed):
     * it is no longer open, so a new report from the same caller or place is a new ticket, not a
     * repeat of it. A cancelled or unknown ticket is left alone (events of another system's tickets
     * may share the topic).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void onClosed(UUID id, Instant closedAt, UUID eventId) {
        Ticket t = tickets.lock(id);
        if (t == null || t.status == TicketStatus.CANCELLED || t.status == TicketStatus.CLOSED) {
            return;
        }
        t.status = TicketStatus.CLOSED;
        events.note(id, TicketEvents.TICKET_CLOSED, eventId, closedAt, ClosedByCommandRoom.at(closedAt));
        LOG.infof("ticket %s closed by the command room", id);
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
        events.note(id, TicketEvents.FOLLOW_UP_RECORDED, null, f.recordedAt, new FollowUpRecorded(f.id.toString(),
                reached, satisfaction == null ? null : satisfaction.name()));
        if (satisfaction == Satisfaction.DISSATISFIED) {
            t.status = TicketStatus.REOPENED;
            events.publish(id, TicketEvents.TICKET_REOPENED, new TicketReopened(id.toString(),
                    "dissatisfied at follow-up", f.recordedAt));
        }
        metrics.followUp(t.street, reached, satisfaction);
        LOG.infof("ticket %s followed up: reached %s, %s", id, reached, satisfaction);
        return f;
    }

    /** A new ticket stored, with {@code ticket.received}, counted when the transaction commits. */
    private void open(Ticket t) {
        tickets.insert(t);
        events.publish(t.id, TicketEvents.TICKET_RECEIVED, TicketReceived.of(t));
        metrics.received(t.source.name(), t.category);
    }

    private static String grid(CreateTicketRequest req) {
        String grid = req.location().grid();
        return grid == null || grid.isBlank() ? null : grid.strip();
    }

    private void checkReportedAt(Instant reportedAt, Instant now) {
        if (reportedAt != null && reportedAt.isAfter(now.plusSeconds(60))) {
            throw ProblemException.badRequest("reportedAt", "must not be in the future");
        }
        // a mistyped old date would breach every stage at once and escalate to the county centre
        if (reportedAt != null && reportedAt.isBefore(now.minus(config.maxReportAge()))) {
            throw ProblemException.badRequest("reportedAt", "must be within " + config.maxReportAge().toDays()
                    + " days before now");
        }
    }

    /** Locks the ticket row so that its events are written in commit order; 404 if there is none. */
    private Ticket lock(UUID id) {
        Ticket t = tickets.lock(id);
        if (t == null) {
            throw ProblemException.notFound("ticket", id);
        }
        return t;
    }
}

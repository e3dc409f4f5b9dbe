package org.hotline.intake.service;

import java.time.Instant;
import java.util.List;

import org.hotline.backbone.security.Mask;
import org.hotline.intake.config.IntakeConfig;
import org.hotline.intake.messaging.TicketEvents;
import org.hotline.intake.messaging.TicketRepeatReported;
import org.hotline.intake.model.MatchedBy;
import org.hotline.intake.model.ReceiveResult;
import org.hotline.intake.model.RepeatReport;
import org.hotline.intake.model.Ticket;
import org.hotline.intake.repository.RepeatRepository;
import org.hotline.intake.repository.TicketRepository;
import org.jboss.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * 重复件: a new report is a repeat of an open ticket when it has the same caller phone within the
 * window, or the same category within the radius in the window ({@code intake.repeat.*}). A repeat
 * opens no ticket: it is recorded against the original, whose count goes up.
 */
@ApplicationScoped
public class RepeatService {

    private static final Logger LOG = Logger.getLogger(RepeatService.class);

    private final RepeatRepository repeats;
    private final TicketRepository tickets;
    private final TicketEvents events;
    private final IntakeConfig config;
    private final IntakeMetrics metrics;

    public RepeatService(RepeatRepository repeats, TicketRepository tickets, TicketEvents events, IntakeConfig config,
            IntakeMetrics metrics) {
        this.repeats = repeats;
        this.tickets = tickets;
        this.events = events;
        this.config = config;
        this.metrics = metrics;
    }

    /** Locks these callers' phones for the transaction now, as {@link #recordIfRepeat} would one by one. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lockCallers(List<String> phones) {
        repeats.lockCallerPhones(phones);
    }

    /**
     * The report (not yet stored) recorded as a repeat of the open ticket it matches, with
     * {@code ticket.repeat-reported}; null: it matches none and is a new matter. The caller's phone
     * is locked for the transaction so that two reports from one phone at once cannot both open
     * tickets.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public ReceiveResult recordIfRepeat(Ticket report) {
        repeats.lockCallerPhone(report.callerPhone);
        Instant from = report.reportedAt.minus(config.repeat().window());
        Instant to = report.reportedAt.plus(config.repeat().window());
        RepeatRepository.Match match = repeats.openMatch(report.callerPhone, report.category, report.latitude,
                report.longitude, config.repeat().radiusMetres(), from, to);
        if (match == null) {
            return null;
        }
        MatchedBy matchedBy = match.matchedBy();
        Ticket original = tickets.lock(match.ticketId());
        if (original == null || !original.isOpen()) {
            return null; // closed or cancelled meanwhile: a new matter
        }
        RepeatReport r = repeatOf(original, report, matchedBy);
        r.persist();
        original.repeatCount++;
        events.publish(original.id, TicketEvents.TICKET_REPEAT_REPORTED, new TicketRepeatReported(
                original.id.toString(), r.id.toString(), original.repeatCount, r.source.name(), matchedBy.name(),
                r.category, r.street, r.reportedAt, r.upstreamRef));
        metrics.repeat(r.source.name(), r.category, matchedBy.name());
        LOG.infof("report %s is repeat %d of ticket %s (matched by %s), caller %s %s", r.id, original.repeatCount,
                original.id, matchedBy, Mask.name(r.callerName), Mask.phone(r.callerPhone));
        return new ReceiveResult(ReceiveResult.Kind.REPEAT, false, original, r);
    }

    /** The whole report, kept so that an operator's "not a repeat" can turn it into a ticket (with this id). */
    private static RepeatReport repeatOf(Ticket original, Ticket report, MatchedBy matchedBy) {
        RepeatReport r = new RepeatReport();
        r.id = report.id;
        r.ticketId = original.id;
        r.matchedBy = matchedBy;
        r.status = RepeatReport.Status.ACTIVE;
        r.source = report.source;
        r.callerName = report.callerName;
        r.callerPhone = report.callerPhone;
        r.address = report.address;
        r.latitude = report.latitude;
        r.longitude = report.longitude;
        r.street = report.street;
        r.grid = report.grid;
        r.category = report.category;
        r.complexity = report.complexity;
        r.description = report.description;
        r.upstreamRef = report.upstreamRef;
        r.reportedAt = report.reportedAt;
        r.receivedAt = report.receivedAt;
        return r;
    }
}

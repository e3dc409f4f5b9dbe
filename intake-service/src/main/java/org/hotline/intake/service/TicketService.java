package org.hotline.intake.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import org.hotline.backbone.event.CloudEvent;
import org.hotline.backbone.outbox.Outbox;
import org.hotline.backbone.security.Mask;
import org.hotline.backbone.web.ProblemException;
import org.hotline.intake.config.IntakeConfig;
import org.hotline.intake.messaging.TicketCancelled;
import org.hotline.intake.messaging.TicketReceived;
import org.hotline.intake.messaging.TicketReopened;
import org.hotline.intake.messaging.TicketRepeatOverridden;
import org.hotline.intake.messaging.TicketRepeatReported;
import org.hotline.intake.model.Category;
import org.hotline.intake.model.FollowUp;
import org.hotline.intake.model.MatchedBy;
import org.hotline.intake.model.RepeatReport;
import org.hotline.intake.model.Satisfaction;
import org.hotline.intake.model.Source;
import org.hotline.intake.model.Ticket;
import org.hotline.intake.model.TicketHistory;
import org.hotline.intake.model.TicketStatus;
import org.hotline.intake.rest.CreateTicketRequest;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

/**
 * The intake rules, in one place for every channel (operator REST, 110 hand-over, 12345 platform):
 * validation beyond the request's shape, the category catalogue, idempotency, upstream
 * de-duplication, repeat reports (重复件), and each change with its event and history entry in one
 * transaction.
 */
@ApplicationScoped
public class TicketService {

    private static final Logger LOG = Logger.getLogger(TicketService.class);

    public static final String TICKET_RECEIVED = "ticket.received";
    public static final String TICKET_CANCELLED = "ticket.cancelled";
    public static final String TICKET_REOPENED = "ticket.reopened";
    public static final String TICKET_REPEAT_REPORTED = "ticket.repeat-reported";
    public static final String TICKET_REPEAT_OVERRIDDEN = "ticket.repeat-overridden";
    /** History only (no event): the follow-up call's result. */
    public static final String FOLLOW_UP_RECORDED = "follow-up.recorded";

    private static final double METRES_PER_DEGREE = 111_320.0;

    private final Outbox outbox;
    private final Clock clock;
    private final IntakeConfig config;
    private final CategoryCatalogue catalogue;
    private final StreetRegistry streets;
    private final IntakeMetrics metrics;
    private final EntityManager em;
    private final ObjectMapper json;

    public TicketService(Outbox outbox, Clock clock, IntakeConfig config, CategoryCatalogue catalogue,
            StreetRegistry streets, IntakeMetrics metrics, EntityManager em, ObjectMapper json) {
        this.streets = streets;
        this.outbox = outbox;
        this.clock = clock;
        this.config = config;
        this.catalogue = catalogue;
        this.metrics = metrics;
        this.em = em;
        this.json = json;
    }

    /**
     * Takes in one report (its shape already validated): a new ticket with {@code ticket.received},
     * or a repeat of an open ticket with {@code ticket.repeat-reported}, or — for an
     * Idempotency-Key or upstream reference seen before — the first result again, writing nothing.
     */
    @Transactional
    public ReceiveResult receive(CreateTicketRequest req, String idempotencyKey) {
        Instant now = clock.instant();
        checkReportedAt(req.reportedAt(), now);
        if ((req.location().latitude() == null) != (req.location().longitude() == null)) {
            throw ProblemException.badRequest(req.location().latitude() == null ? "location.latitude"
                    : "location.longitude", "latitude and longitude come together or not at all");
        }
        Category category = catalogue.resolve(req.category());
        streets.check(req.location().street().strip(), req.location().grid() == null || req.location().grid().isBlank()
                ? null : req.location().grid().strip());

        if (idempotencyKey != null) {
            ReceiveResult earlier = claimIdempotencyKey(idempotencyKey, hash(req), now);
            if (earlier != null) {
                return earlier;
            }
        }
        String upstreamRef = req.upstreamRef() == null || req.upstreamRef().isBlank() ? null : req.upstreamRef().strip();
        if (upstreamRef != null) {
            ReceiveResult earlier = claimUpstreamRef(req.source(), upstreamRef, now);
            if (earlier != null) {
                if (idempotencyKey != null) { // this key now answers with the same earlier result
                    settle("idempotency_key", "idem_key = ?3", idempotencyKey, earlier.kind(),
                            earlier.kind() == ReceiveResult.Kind.TICKET ? earlier.ticket().id : earlier.repeat().id);
                }
                return earlier;
            }
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
        t.grid = req.location().grid() == null || req.location().grid().isBlank() ? null : req.location().grid().strip();
        t.category = category.code;
        t.complexity = req.complexity() != null ? req.complexity() : category.defaultComplexity;
        t.description = req.description().strip();
        t.upstreamRef = upstreamRef;
        t.status = TicketStatus.RECEIVED;
        t.receivedAt = now;
        t.reportedAt = req.reportedAt() == null ? now : req.reportedAt();

        ReceiveResult result = config.repeat().enabled() ? asRepeat(t) : null;
        if (result == null) {
            t.persist();
            publish(t.id, TICKET_RECEIVED, received(t));
            metrics.received(t.source.name(), t.category);
            LOG.infof("ticket %s received: %s %s from %s, caller %s %s", t.id, t.source, t.category, t.street,
                    Mask.name(t.callerName), Mask.phone(t.callerPhone));
            result = new ReceiveResult(ReceiveResult.Kind.TICKET, false, t, null);
        }
        UUID resultId = result.kind() == ReceiveResult.Kind.TICKET ? t.id : result.repeat().id;
        if (idempotencyKey != null) {
            settle("idempotency_key", "idem_key = ?3", idempotencyKey, result.kind(), resultId);
        }
        if (upstreamRef != null) {
            em.createNativeQuery("update upstream_ref set result_kind = ?1, result_id = ?2 where source = ?3 and ref = ?4")
                    .setParameter(1, result.kind().name()).setParameter(2, resultId)
                    .setParameter(3, t.source.name()).setParameter(4, upstreamRef).executeUpdate();
        }
        return result;
    }

    /**
     * Would this Idempotency-Key replay a settled result (so the request writes nothing)? One
     * primary-key lookup: the rate limit lets such a retry through. Whether the body matches is
     * still checked by {@link #receive} (422 otherwise, also writing nothing).
     */
    @Transactional
    public boolean replays(String idempotencyKey) {
        return !Jdbc.select(em, "select 1 from idempotency_key where idem_key = ? and result_id is not null"
                + " and created_at >= ?", idempotencyKey, clock.instant().minus(config.idempotency().ttl())).isEmpty();
    }

    /**
     * 重复件: the same caller phone within the window, or the same category within the radius in
     * the window, matching an open ticket. The caller's phone is locked for the transaction so
     * that two reports from one phone at once cannot both open tickets.
     */
    private ReceiveResult asRepeat(Ticket report) {
        Jdbc.select(em, "select pg_advisory_xact_lock(hashtext(?))", "phone:" + report.callerPhone);
        Instant from = report.reportedAt.minus(config.repeat().window());
        Instant to = report.reportedAt.plus(config.repeat().window());
        MatchedBy matchedBy = MatchedBy.PHONE;
        List<Object[]> match = Jdbc.select(em, "select id from ticket where caller_phone = ?"
                + " and status in ('RECEIVED', 'REOPENED') and reported_at between ? and ?"
                + " order by reported_at desc limit 1", report.callerPhone, from, to);
        if (match.isEmpty() && report.latitude != null) {
            matchedBy = MatchedBy.PROXIMITY;
            double r = config.repeat().radiusMetres();
            double dLat = r / METRES_PER_DEGREE;
            double dLon = r / (METRES_PER_DEGREE * Math.max(0.01, Math.cos(Math.toRadians(report.latitude))));
            // haversine distance in metres; the bounding box lets the index narrow the rows first
            match = Jdbc.select(em, "select id from (select id, reported_at,"
                    + " 2 * 6371008.8 * asin(sqrt(power(sin(radians(latitude - ?) / 2), 2)"
                    + " + cos(radians(?)) * cos(radians(latitude)) * power(sin(radians(longitude - ?) / 2), 2))) as d"
                    + " from ticket where category = ? and status in ('RECEIVED', 'REOPENED')"
                    + " and reported_at between ? and ? and latitude between ? and ? and longitude between ? and ?) x"
                    + " where d <= ? order by d, reported_at desc limit 1",
                    report.latitude, report.latitude, report.longitude, report.category, from, to,
                    report.latitude - dLat, report.latitude + dLat, report.longitude - dLon, report.longitude + dLon, r);
        }
        if (match.isEmpty()) {
            return null;
        }
        Ticket original = Ticket.findById((UUID) match.get(0)[0], LockModeType.PESSIMISTIC_WRITE);
        if (original == null || !original.isOpen()) {
            return null; // closed or cancelled meanwhile: a new matter
        }
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
        r.persist();
        original.repeatCount++;
        publish(original.id, TICKET_REPEAT_REPORTED, new TicketRepeatReported(original.id.toString(), r.id.toString(),
                original.repeatCount, r.source.name(), matchedBy.name(), r.category, r.street, r.reportedAt,
                r.upstreamRef));
        metrics.repeat(r.source.name(), r.category, matchedBy.name());
        LOG.infof("report %s is repeat %d of ticket %s (matched by %s), caller %s %s", r.id, original.repeatCount,
                original.id, matchedBy, Mask.name(r.callerName), Mask.phone(r.callerPhone));
        return new ReceiveResult(ReceiveResult.Kind.REPEAT, false, original, r);
    }

    /**
     * "Not a repeat": the repeat leaves the original's count and becomes a ticket of its own, with
     * the repeat's id, its report time (the caller's clock started then) and {@code ticket.received}.
     */
    @Transactional
    public Ticket overrideRepeat(UUID ticketId, UUID repeatId, String reason, String by) {
        Ticket original = lock(ticketId);
        RepeatReport r = RepeatReport.findById(repeatId, LockModeType.PESSIMISTIC_WRITE);
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
        publish(original.id, TICKET_REPEAT_OVERRIDDEN, new TicketRepeatOverridden(original.id.toString(),
                r.id.toString(), original.repeatCount, r.overriddenBy, r.overrideReason));

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
        t.persist();
        publish(t.id, TICKET_RECEIVED, received(t));
        // a replayed key or upstream reference now answers with the ticket
        for (String table : new String[] {"idempotency_key", "upstream_ref"}) {
            em.createNativeQuery("update " + table + " set result_kind = 'TICKET' where result_id = ?1")
                    .setParameter(1, r.id).executeUpdate();
        }
        metrics.overridden();
        metrics.received(t.source.name(), t.category);
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
        publish(id, TICKET_CANCELLED, new TicketCancelled(id.toString(), t.cancelReason, t.cancelledAt));
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
        Ticket t = Ticket.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (t == null || t.status == TicketStatus.CANCELLED || t.status == TicketStatus.CLOSED) {
            return;
        }
        t.status = TicketStatus.CLOSED;
        history(id, "ticket.closed", eventId, closedAt, java.util.Map.of("closedAt", closedAt.toString()));
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
        history(id, FOLLOW_UP_RECORDED, null, f.recordedAt, new FollowUpEntry(f.id.toString(), reached,
                satisfaction == null ? null : satisfaction.name()));
        if (satisfaction == Satisfaction.DISSATISFIED) {
            t.status = TicketStatus.REOPENED;
            publish(id, TICKET_REOPENED, new TicketReopened(id.toString(), "dissatisfied at follow-up", f.recordedAt));
        }
        metrics.followUp(t.street, reached, satisfaction);
        LOG.infof("ticket %s followed up: reached %s, %s", id, reached, satisfaction);
        return f;
    }

    record FollowUpEntry(String followUpId, boolean reached, String satisfaction) {
    }

    public Ticket get(UUID id) {
        Ticket t = Ticket.findById(id);
        if (t == null) {
            throw ProblemException.notFound("ticket", id);
        }
        return t;
    }

    public List<TicketHistory> history(UUID id) {
        return TicketHistory.list("ticketId", Sort.by("seq"), id);
    }

    public List<RepeatReport> repeats(UUID id) {
        return RepeatReport.list("ticketId", Sort.by("receivedAt").and("id"), id);
    }

    public List<FollowUp> followUps(UUID id) {
        return FollowUp.list("ticketId", Sort.by("recordedAt"), id);
    }

    /** Search filters; null means "any". */
    public record Filter(TicketStatus status, String street, String category, Source source, String callerPhone,
            Instant from, Instant to) {
    }

    public record Found(List<Ticket> items, long total) {
    }

    /** Newest first (by receipt), paged; each filter has an index led by its column. */
    public Found search(Filter f, int page, int size) {
        List<String> where = new ArrayList<>();
        Parameters p = new Parameters();
        if (f.status() != null) {
            where.add("status = :status");
            p.and("status", f.status());
        }
        if (f.street() != null) {
            where.add("street = :street");
            p.and("street", f.street());
        }
        if (f.category() != null) {
            where.add("category = :category");
            p.and("category", f.category());
        }
        if (f.source() != null) {
            where.add("source = :source");
            p.and("source", f.source());
        }
        if (f.callerPhone() != null) {
            where.add("callerPhone = :phone");
            p.and("phone", f.callerPhone());
        }
        if (f.from() != null) {
            where.add("receivedAt >= :from");
            p.and("from", f.from());
        }
        if (f.to() != null) {
            where.add("receivedAt < :to");
            p.and("to", f.to());
        }
        String query = where.isEmpty() ? "1 = 1" : String.join(" and ", where);
        var q = Ticket.find(query, Sort.by("receivedAt", Sort.Direction.Descending).and("id"), p);
        return new Found(q.page(Page.of(page, size)).list(), q.count());
    }

    // ---- helpers

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

    /**
     * Claims the key, or returns the result of the request that claimed it within the TTL. A
     * concurrent request with the same key waits on the primary key until the first commits (then
     * sees its result) or rolls back (then claims it itself): never two tickets.
     */
    private ReceiveResult claimIdempotencyKey(String key, String requestHash, Instant now) {
        int claimed = em.createNativeQuery("insert into idempotency_key (idem_key, request_hash, created_at)"
                + " values (?1, ?2, ?3) on conflict (idem_key) do update set request_hash = excluded.request_hash,"
                + " result_kind = null, result_id = null, created_at = excluded.created_at"
                + " where idempotency_key.created_at < ?4")
                .setParameter(1, key).setParameter(2, requestHash).setParameter(3, now)
                .setParameter(4, now.minus(config.idempotency().ttl())).executeUpdate();
        if (claimed == 1) {
            return null;
        }
        Object[] row = Jdbc.select(em, "select request_hash, result_kind, result_id from idempotency_key"
                + " where idem_key = ?", key).get(0);
        if (!requestHash.equals(row[0])) {
            throw new ProblemException(422, "Idempotency-Key reused",
                    "Idempotency-Key was used within " + config.idempotency().ttl().toHours()
                            + " h for a different request",
                    List.of(new org.hotline.backbone.web.Problem.FieldError("Idempotency-Key",
                            "already used for a different request body")));
        }
        return replay((String) row[1], (UUID) row[2]);
    }

    private ReceiveResult claimUpstreamRef(Source source, String ref, Instant now) {
        int claimed = em.createNativeQuery("insert into upstream_ref (source, ref, received_at) values (?1, ?2, ?3)"
                + " on conflict do nothing").setParameter(1, source.name()).setParameter(2, ref).setParameter(3, now)
                .executeUpdate();
        if (claimed == 1) {
            return null;
        }
        Object[] row = Jdbc.select(em, "select result_kind, result_id from upstream_ref where source = ? and ref = ?",
                source.name(), ref).get(0);
        LOG.infof("%s reference %s seen before: no second ticket", source, ref);
        return replay((String) row[0], (UUID) row[1]);
    }

    private ReceiveResult replay(String kind, UUID id) {
        if (kind == null || id == null) { // cannot happen: the claim and its result commit together
            throw ProblemException.conflict("the first request with this key or reference is still being processed");
        }
        if (ReceiveResult.Kind.REPEAT.name().equals(kind)) {
            RepeatReport r = RepeatReport.findById(id);
            return new ReceiveResult(ReceiveResult.Kind.REPEAT, true, Ticket.findById(r.ticketId), r);
        }
        return new ReceiveResult(ReceiveResult.Kind.TICKET, true, Ticket.findById(id), null);
    }

    private void settle(String table, String where, String key, ReceiveResult.Kind kind, UUID id) {
        em.createNativeQuery("update " + table + " set result_kind = ?1, result_id = ?2 where " + where)
                .setParameter(1, kind.name()).setParameter(2, id).setParameter(3, key).executeUpdate();
    }

    private String hash(CreateTicketRequest req) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.writeValueAsBytes(req));
            return HexFormat.of().formatHex(digest);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash the request", e);
        }
    }

    private static TicketReceived received(Ticket t) {
        return new TicketReceived(t.id.toString(), t.source.name(), t.category, t.complexity.name(), t.street,
                t.grid, t.address, t.latitude, t.longitude, t.upstreamRef, t.reportedAt, t.receivedAt,
                Mask.phone(t.callerPhone));
    }

    /** The event (outbox) and the ticket's history entry, in the caller's transaction. */
    private void publish(UUID ticketId, String type, Object data) {
        CloudEvent e = outbox.publish(config.topics().ticketEvents(), type, ticketId.toString(), data);
        TicketHistory h = new TicketHistory();
        h.ticketId = ticketId;
        h.type = type;
        h.occurredAt = Instant.parse(e.time());
        h.eventId = UUID.fromString(e.id());
        h.data = e.data().toString();
        h.persist();
    }

    private void history(UUID ticketId, String type, UUID eventId, Instant at, Object data) {
        TicketHistory h = new TicketHistory();
        h.ticketId = ticketId;
        h.type = type;
        h.occurredAt = at;
        h.eventId = eventId;
        try {
            h.data = json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        h.persist();
    }

    /** Locks the ticket row so that its events are written in commit order. */
    private Ticket lock(UUID id) {
        Ticket t = Ticket.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (t == null) {
            throw ProblemException.notFound("ticket", id);
        }
        return t;
    }
}

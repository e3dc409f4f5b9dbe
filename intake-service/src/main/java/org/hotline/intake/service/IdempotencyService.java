package org.hotline.intake.service;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import org.hotline.backbone.web.Problem;
import org.hotline.backbone.web.ProblemException;
import org.hotline.intake.config.IntakeConfig;
import org.hotline.intake.model.CreateTicketRequest;
import org.hotline.intake.model.ReceiveResult;
import org.hotline.intake.model.RepeatReport;
import org.hotline.intake.model.Source;
import org.hotline.intake.repository.IdempotencyRepository;
import org.hotline.intake.repository.RepeatRepository;
import org.hotline.intake.repository.TicketRepository;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * A report sent twice is taken in once: an Idempotency-Key (REST, kept for the configured TTL)
 * or an upstream reference (the 110 incident or 12345 order number, kept for ever) seen before
 * answers with the first result and writes nothing.
 */
@ApplicationScoped
public class IdempotencyService {

    private static final Logger LOG = Logger.getLogger(IdempotencyService.class);

    private final IdempotencyRepository claims;
    private final TicketRepository tickets;
    private final RepeatRepository repeats;
    private final IntakeConfig config;
    private final Clock clock;
    private final ObjectMapper json;

    public IdempotencyService(IdempotencyRepository claims, TicketRepository tickets, RepeatRepository repeats,
            IntakeConfig config, Clock clock, ObjectMapper json) {
        this.clock = clock;
        this.claims = claims;
        this.tickets = tickets;
        this.repeats = repeats;
        this.config = config;
        this.json = json;
    }

    /**
     * Would this Idempotency-Key replay a settled result (so the request writes nothing)? One
     * primary-key lookup: the rate limit lets such a retry through. Whether the body matches is
     * still checked when the report is received (422 otherwise, also writing nothing).
     */
    @Transactional
    public boolean replays(String idempotencyKey) {
        return claims.settled(idempotencyKey, clock.instant().minus(config.idempotency().ttl()));
    }

    /**
     * Claims the key, or returns the result of the request that claimed it within the TTL (422 if
     * that request had another body). A concurrent request with the same key waits on the primary
     * key until the first commits (then sees its result) or rolls back (then claims it itself):
     * never two tickets.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public ReceiveResult claimKey(String key, CreateTicketRequest request, Instant now) {
        String requestHash = hash(request);
        if (claims.claimKey(key, requestHash, now, now.minus(config.idempotency().ttl()))) {
            return null;
        }
        IdempotencyRepository.Claim claim = claims.keyClaim(key);
        if (!requestHash.equals(claim.requestHash())) {
            throw new ProblemException(422, "Idempotency-Key reused",
                    "Idempotency-Key was used within " + config.idempotency().ttl().toHours()
                            + " h for a different request",
                    List.of(new Problem.FieldError("Idempotency-Key", "already used for a different request body")));
        }
        return replay(claim);
    }

    /** Claims the upstream reference, or returns the result of the report that claimed it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public ReceiveResult claimUpstreamRef(Source source, String ref, Instant now) {
        if (claims.claimUpstreamRef(source, ref, now)) {
            return null;
        }
        IdempotencyRepository.Claim claim = claims.upstreamRefClaim(source, ref);
        LOG.infof("%s reference %s seen before: no second ticket", source, ref);
        return replay(claim);
    }

    /** The key (if any) and the upstream reference (if any) now answer with this result. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void settle(String key, Source source, String upstreamRef, ReceiveResult result) {
        UUID resultId = result.kind() == ReceiveResult.Kind.TICKET ? result.ticket().id : result.repeat().id;
        if (key != null) {
            claims.settleKey(key, result.kind(), resultId);
        }
        if (upstreamRef != null) {
            claims.settleUpstreamRef(source, upstreamRef, result.kind(), resultId);
        }
    }

    /** A repeat became a ticket of its own: a replayed key or upstream reference now answers with the ticket. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void repeatBecameTicket(UUID repeatId) {
        claims.repeatBecameTicket(repeatId);
    }

    private ReceiveResult replay(IdempotencyRepository.Claim claim) {
        String kind = claim.resultKind();
        UUID id = claim.resultId();
        if (kind == null || id == null) { // cannot happen: the claim and its result commit together
            throw ProblemException.conflict("the first request with this key or reference is still being processed");
        }
        if (ReceiveResult.Kind.REPEAT.name().equals(kind)) {
            RepeatReport r = repeats.find(id);
            return new ReceiveResult(ReceiveResult.Kind.REPEAT, true, tickets.find(r.ticketId), r);
        }
        return new ReceiveResult(ReceiveResult.Kind.TICKET, true, tickets.find(id), null);
    }

    private String hash(CreateTicketRequest req) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.writeValueAsBytes(req));
            return HexFormat.of().formatHex(digest);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash the request", e);
        }
    }
}

package org.hotline.intake.repository;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.hotline.backbone.jdbc.JdbcSelect;
import org.hotline.intake.model.ReceiveResult;
import org.hotline.intake.model.Source;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * What makes a report idempotent: Idempotency-Keys (idempotency_key) and upstream references
 * (upstream_ref), each claimed in the report's transaction and then pointed at its result.
 */
@ApplicationScoped
public class IdempotencyRepository {

    /** A claim someone made before: for a key, the hash of its request body (null for an upstream reference). */
    public record Claim(String requestHash, String resultKind, UUID resultId) {
    }

    private final EntityManager em;

    public IdempotencyRepository(EntityManager em) {
        this.em = em;
    }

    /** Does this key have a result claimed at or after {@code since}? One primary-key lookup. */
    public boolean settled(String key, Instant since) {
        return !JdbcSelect.rows(em, "select 1 from idempotency_key where idem_key = ? and result_id is not null"
                + " and created_at >= ?", key, since).isEmpty();
    }

    /**
     * Claims the key (a claim made before {@code expiredBefore} is taken over); false: a live claim
     * exists. A concurrent claim of the same key waits on the primary key until the first commits or
     * rolls back.
     */
    public boolean claimKey(String key, String requestHash, Instant now, Instant expiredBefore) {
        return em.createNativeQuery("insert into idempotency_key (idem_key, request_hash, created_at)"
                + " values (?1, ?2, ?3) on conflict (idem_key) do update set request_hash = excluded.request_hash,"
                + " result_kind = null, result_id = null, created_at = excluded.created_at"
                + " where idempotency_key.created_at < ?4")
                .setParameter(1, key).setParameter(2, requestHash).setParameter(3, now)
                .setParameter(4, expiredBefore).executeUpdate() == 1;
    }

    /** The key's claim (after {@link #claimKey} returned false). */
    public Claim keyClaim(String key) {
        Object[] row = JdbcSelect.rows(em, "select request_hash, result_kind, result_id from idempotency_key"
                + " where idem_key = ?", key).get(0);
        return new Claim((String) row[0], (String) row[1], (UUID) row[2]);
    }

    public void settleKey(String key, ReceiveResult.Kind kind, UUID resultId) {
        em.createNativeQuery("update idempotency_key set result_kind = ?1, result_id = ?2 where idem_key = ?3")
                .setParameter(1, kind.name()).setParameter(2, resultId).setParameter(3, key).executeUpdate();
    }

    /** Claims the upstream reference; false: it was claimed before (references never expire). */
    public boolean claimUpstreamRef(Source source, String ref, Instant now) {
        return em.createNativeQuery("insert into upstream_ref (source, ref, received_at) values (?1, ?2, ?3)"
                + " on conflict do nothing").setParameter(1, source.name()).setParameter(2, ref).setParameter(3, now)
                .executeUpdate() == 1;
    }

    /** The reference's claim (after {@link #claimUpstreamRef} returned false). */
    public Claim upstreamRefClaim(Source source, String ref) {
        Object[] row = JdbcSelect.rows(em, "select result_kind, result_id from upstream_ref where source = ? and ref = ?",
                source.name(), ref).get(0);
        return new Claim(null, (String) row[0], (UUID) row[1]);
    }

    public void settleUpstreamRef(Source source, String ref, ReceiveResult.Kind kind, UUID resultId) {
        em.createNativeQuery("update upstream_ref set result_kind = ?1, result_id = ?2 where source = ?3 and ref = ?4")
                .setParameter(1, kind.name()).setParameter(2, resultId)
                .setParameter(3, source.name()).setParameter(4, ref).executeUpdate();
    }

    /** A repeat became a ticket of its own (same id): keys and references that answered with the repeat now answer with the ticket. */
    public void repeatBecameTicket(UUID repeatId) {
        for (String table : List.of("idempotency_key", "upstream_ref")) {
            em.createNativeQuery("update " + table + " set result_kind = 'TICKET' where result_id = ?1")
                    .setParameter(1, repeatId).executeUpdate();
        }
    }
}

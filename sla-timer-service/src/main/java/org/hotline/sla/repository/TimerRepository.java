package org.hotline.sla.repository;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.hibernate.Session;
import org.hibernate.jpa.HibernateHints;
import org.hotline.sla.model.StageClock;
import org.hotline.sla.model.Timer;
import org.hotline.sla.model.TimerKind;
import org.hotline.sla.model.TimerSkip;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

/** Every query of the durable timers: arming, claiming, marking, quarantining. */
@ApplicationScoped
public class TimerRepository implements PanacheRepositoryBase<Timer, Long> {

    /** Claim order: due first; warning before breach before escalation when due together (timer_claim_order). */
    private static final String CLAIM_ORDER = " order by due_at, case kind when 'WARNING' then 0 when 'BREACH' then 1"
            + " else 2 end, level, id";

    /** A new timer of the clock, not written yet ({@link #arm(List)} writes it). */
    public static Timer of(StageClock c, TimerKind kind, int level, Instant due) {
        Timer t = new Timer();
        t.clockId = c.id;
        t.ticketId = c.ticketId;
        t.kind = kind;
        t.level = level;
        t.dueAt = due;
        return t;
    }

    /**
     * Writes new timers in one JDBC batch (a ticket.received's 20 in one statement), with plain JDBC
     * as the outbox does, not as entities: a timer is written once and afterwards only changed by
     * statements that find it in the database (claims, closes, a repeat's query), never as the entity
     * its arming transaction created. As entities each cost an id, an insert action, and a dirty
     * check at every later flush of a consumer's batch (which shares its persistence context): 20
     * per ticket.received, most of the consumer's per-ticket CPU. Ids come from the column's default
     * (timer_id_seq, 50 apart since V9: an entity insert's pooled ids never meet them). The
     * transaction's pending changes are flushed first: a timer references its clock, which may
     * still be waiting to be inserted.
     */
    public void arm(List<Timer> timers) {
        if (timers.isEmpty()) {
            return;
        }
        getEntityManager().flush();
        getEntityManager().unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement ps = connection.prepareStatement(
                    "insert into timer (clock_id, ticket_id, kind, level, due_at) values (?, ?, ?, ?, ?)")) {
                for (Timer t : timers) {
                    ps.setLong(1, t.clockId);
                    ps.setObject(2, t.ticketId);
                    ps.setString(3, t.kind.name());
                    ps.setInt(4, t.level);
                    ps.setObject(5, OffsetDateTime.ofInstant(t.dueAt, ZoneOffset.UTC));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
    }

    /**
     * Claims up to {@code limit} due timers: {@code FOR UPDATE SKIP LOCKED}, so other threads and
     * replicas skip them. Read-only entities: no dirty check and no per-row UPDATE; they are marked
     * by {@link #markFired}.
     */
    @SuppressWarnings("unchecked")
    public List<Timer> claimDue(Instant now, int limit) {
        return getEntityManager().createNativeQuery("select * from timer where fired_at is null and due_at <= ?1"
                + CLAIM_ORDER + " limit ?2 for update skip locked", Timer.class)
                .setHint(HibernateHints.HINT_READ_ONLY, true).setParameter(1, now).setParameter(2, limit)
                .getResultList();
    }

    /** Claims one timer if it is still unfired and no one else holds it (empty otherwise). */
    @SuppressWarnings("unchecked")
    public List<Timer> claim(long id) {
        return getEntityManager().createNativeQuery("select * from timer where id = ?1 and fired_at is null"
                + " for update skip locked", Timer.class).setHint(HibernateHints.HINT_READ_ONLY, true)
                .setParameter(1, id).getResultList();
    }

    /** The ids of due timers, unlocked, in claim order. */
    public List<Long> dueIds(Instant now, int limit) {
        return getEntityManager().createNativeQuery("select id from timer where fired_at is null and due_at <= ?1"
                + CLAIM_ORDER + " limit ?2", Long.class).setParameter(1, now).setParameter(2, limit).getResultList();
    }

    /** Marks timers fired at {@code now} (published, or closed for {@code reason}), with their lateness. */
    public void markFired(List<Timer> timers, Instant now, TimerSkip reason) {
        getEntityManager().createNativeQuery("update timer set fired_at = ?1, cancelled = ?2, skip_reason = ?3,"
                + " lateness_ms = floor(extract(epoch from (?1 - due_at)) * 1000)::bigint where id = any(?4)")
                .setParameter(1, now).setParameter(2, reason != null).setParameter(3, reason == null ? null : reason.name())
                .setParameter(4, timers.stream().map(t -> t.id).toArray(Long[]::new)).executeUpdate();
    }

    /**
     * Closes a clock's unfired timers for {@code why}, in one statement. A closed timer still
     * managed (read earlier in a consumer's batch, which shares its persistence context) keeps its
     * old values in memory; harmless, as nothing changes a timer entity after it is closed (a timer
     * is changed only when read back by {@code fired_at is null}, which the database evaluates).
     */
    public void closePending(long clockId, Instant now, TimerSkip why) {
        update("firedAt = ?1, cancelled = true, skipReason = ?2 where clockId = ?3 and firedAt is null", now, why,
                clockId);
    }

    /** The earliest unfired due time, or null (served by the partial index timer_pending). */
    public Instant nextDue() {
        return getEntityManager().createQuery("select min(t.dueAt) from Timer t where t.firedAt is null", Instant.class)
                .getSingleResult();
    }

    /** Whether the clock's warning went out (a re-armed stage is not warned twice). */
    public boolean warningPublished(long clockId) {
        return count("clockId = ?1 and kind = ?2 and skipReason is null and firedAt is not null", clockId,
                TimerKind.WARNING) > 0;
    }

    /** The clock's lowest escalation level still to fire. */
    public Optional<Timer> nextEscalation(long clockId) {
        return find("clockId = ?1 and kind = ?2 and firedAt is null order by level", clockId, TimerKind.ESCALATION)
                .firstResultOptional();
    }

    /** A failed firing of one timer: its attempts so far and its kind. */
    public record Attempt(int attempts, TimerKind kind) {
    }

    /** Counts a failed firing with its error; empty if the timer fired or was closed meanwhile. */
    public Optional<Attempt> recordFailure(long id, String error) {
        int updated = getEntityManager().createNativeQuery("update timer set attempts = attempts + 1, last_error = ?2"
                + " where id = ?1 and fired_at is null").setParameter(1, id).setParameter(2, error).executeUpdate();
        if (updated == 0) {
            return Optional.empty();
        }
        Object[] row = (Object[]) getEntityManager().createNativeQuery("select attempts, kind from timer where id = ?1")
                .setParameter(1, id).getSingleResult();
        return Optional.of(new Attempt(((Number) row[0]).intValue(), TimerKind.valueOf((String) row[1])));
    }

    /** Sets a poison timer aside: closed as QUARANTINED, its error kept. */
    public void quarantine(long id, Instant now) {
        update("firedAt = ?1, cancelled = true, skipReason = ?2 where id = ?3", now, TimerSkip.QUARANTINED, id);
    }
}

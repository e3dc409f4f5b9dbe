package org.hotline.sla.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.hibernate.jpa.HibernateHints;
import org.hotline.backbone.outbox.Outbox;
import org.hotline.sla.config.SlaConfig;
import org.hotline.sla.model.ClockState;
import org.hotline.sla.model.Outcome;
import org.hotline.sla.model.PolicyDefinition;
import org.hotline.sla.model.StageClock;
import org.hotline.sla.model.Timer;
import org.hotline.sla.model.TimerSkip;
import org.jboss.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Fires due timers, exactly once across restarts and replicas: a transaction claims due rows
 * with {@code FOR UPDATE SKIP LOCKED} (other replicas skip them), decides each against its clock,
 * writes the resulting event to the outbox and marks the row fired, and commits all of it
 * together. A crash before commit leaves the rows unfired for the next claim; after commit they
 * are never claimed again. Every timer ends either published or with a {@link TimerSkip} reason.
 */
@ApplicationScoped
public class TimerFiring {

    private static final Logger LOG = Logger.getLogger(TimerFiring.class);

    public static final String WARNING = "sla.warning";
    public static final String BREACHED = "sla.breached";
    public static final String ESCALATED = "sla.escalated";

    /** Claim order: warning before breach before escalation when due together. */
    private static final String CLAIM_ORDER = " order by due_at, case kind when 'WARNING' then 0 when 'BREACH' then 1"
            + " else 2 end, level, id";

    private final EntityManager em;
    private final ClockService clocks;
    private final SlaMetrics metrics;
    private final Clock clock;
    private final Outbox outbox;
    private final SlaConfig config;

    public TimerFiring(EntityManager em, ClockService clocks, SlaMetrics metrics, Clock clock, Outbox outbox,
            SlaConfig config) {
        this.em = em;
        this.outbox = outbox;
        this.clocks = clocks;
        this.metrics = metrics;
        this.clock = clock;
        this.config = config;
    }

    /** Claims and fires up to {@code limit} due timers; returns how many it claimed. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int fireDue(int limit) {
        Instant now = clock.instant();
        @SuppressWarnings("unchecked")
        List<Timer> due = em.createNativeQuery("select * from timer where fired_at is null and due_at <= ?1"
                + CLAIM_ORDER + " limit ?2 for update skip locked", Timer.class)
                // read-only: no per-entity dirty check and UPDATE; the fired marks are statements below
                .setHint(HibernateHints.HINT_READ_ONLY, true)
                .setParameter(1, now).setParameter(2, limit).getResultList();
        fire(due, now);
        return due.size();
    }

    /**
     * After a batch failed: the due timers' ids, to fire one at a time ({@link #fireOne}), so a
     * poison timer fails alone and the others still fire.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    @SuppressWarnings("unchecked")
    public List<Long> dueIds(int limit) {
        return em.createNativeQuery("select id from timer where fired_at is null and due_at <= ?1" + CLAIM_ORDER
                + " limit ?2", Long.class).setParameter(1, clock.instant()).setParameter(2, limit).getResultList();
    }

    /** Fires one timer in a transaction of its own; false if another thread or replica holds or fired it. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean fireOne(long id) {
        Instant now = clock.instant();
        @SuppressWarnings("unchecked")
        List<Timer> due = em.createNativeQuery("select * from timer where id = ?1 and fired_at is null"
                + " for update skip locked", Timer.class).setHint(HibernateHints.HINT_READ_ONLY, true)
                .setParameter(1, id).getResultList();
        fire(due, now);
        return !due.isEmpty();
    }

    /**
     * A timer's firing failed alone: the attempt is counted with its error; after
     * {@code sla.engine.max-attempts} it is quarantined (closed with reason QUARANTINED, counted and
     * logged) so it stops failing on every pass of every replica. Returns whether it was quarantined.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean recordFailure(long id, RuntimeException error) {
        String message = String.valueOf(error).replace('\u0000', ' ');
        int updated = em.createNativeQuery("update timer set attempts = attempts + 1, last_error = ?2"
                + " where id = ?1 and fired_at is null").setParameter(1, id)
                .setParameter(2, message.length() > 2000 ? message.substring(0, 2000) : message).executeUpdate();
        if (updated == 0) {
            return false; // fired or quarantined meanwhile
        }
        Object[] row = (Object[]) em.createNativeQuery("select attempts, kind from timer where id = ?1")
                .setParameter(1, id).getSingleResult();
        if (((Number) row[0]).intValue() < config.engine().maxAttempts()) {
            return false;
        }
        em.createNativeQuery("update timer set fired_at = ?2, cancelled = true, skip_reason = 'QUARANTINED'"
                + " where id = ?1").setParameter(1, id).setParameter(2, clock.instant()).executeUpdate();
        metrics.quarantined((String) row[1]);
        LOG.errorf("timer %d (%s) quarantined after %s failed attempts: %s", id, row[1], row[0], message);
        return true;
    }

    private void fire(List<Timer> due, Instant now) {
        if (due.isEmpty()) {
            return;
        }
        // every clock of the tickets involved, locked in id order: the order consumers lock them too, so
        // the two never deadlock and one ticket's events are written in the order they were decided;
        // loaded in the same statement, so fire() finds them in the persistence context
        // (an array parameter: one statement text whatever the batch, where an IN list is re-planned per size)
        em.createNativeQuery("select * from stage_clock where ticket_id = any(?1) order by id for update",
                StageClock.class)
                .setParameter(1, due.stream().map(t -> t.ticketId).distinct().toArray(UUID[]::new)).getResultList();
        // the batch's events go to the outbox in one JDBC batch
        outbox.batch(() -> {
            for (Timer t : due) {
                fire(t, now);
            }
            return null;
        });
        Map<String, List<Timer>> byReason = due.stream()
                .collect(Collectors.groupingBy(t -> t.skipReason == null ? "" : t.skipReason.name()));
        byReason.forEach((reason, timers) -> markFired(timers, now, reason.isEmpty() ? null : reason));
    }

    /** Fired (published, or ended for {@code reason}), with how late; same lateness arithmetic as fire(). */
    private void markFired(List<Timer> timers, Instant now, String reason) {
        em.createNativeQuery("update timer set fired_at = ?1, cancelled = ?2, skip_reason = ?3,"
                + " lateness_ms = floor(extract(epoch from (?1 - due_at)) * 1000)::bigint where id = any(?4)")
                .setParameter(1, now).setParameter(2, reason != null).setParameter(3, reason)
                .setParameter(4, timers.stream().map(t -> t.id).toArray(Long[]::new)).executeUpdate();
    }

    /** The earliest unfired due time, or null (served by the partial index timer_pending). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Instant nextDue() {
        return em.createQuery("select min(t.dueAt) from Timer t where t.firedAt is null", Instant.class)
                .getSingleResult();
    }

    private void fire(Timer t, Instant now) {
        StageClock c = em.find(StageClock.class, t.clockId);
        Duration late = Duration.between(t.dueAt, now);
        t.firedAt = now;
        t.latenessMs = late.toMillis();
        metrics.lateness(t.kind, late);
        t.skipReason = switch (t.kind) {
            case WARNING -> warn(c, t, now);
            case BREACH -> breach(c, t, now);
            case ESCALATION -> escalate(c, t, now);
        };
        t.cancelled = t.skipReason != null;
    }

    /** Why a stage that is not running has nothing more to fire. */
    private static TimerSkip over(StageClock c) {
        return c.state == ClockState.STOPPED ? TimerSkip.TICKET_CANCELLED : TimerSkip.STAGE_MET;
    }

    /**
     * A warning is for acting before the deadline. One that fires at or after it (the service was
     * down, or busy) is superseded by the breach, which is published instead: recorded with its
     * reason and counted, never published after the fact, and never dropped silently.
     */
    private TimerSkip warn(StageClock c, Timer t, Instant now) {
        if (c.state == ClockState.BREACHED || (c.state == ClockState.RUNNING && !now.isBefore(c.deadline))) {
            metrics.warningSuperseded(c);
            return TimerSkip.SUPERSEDED_BY_BREACH;
        }
        if (c.state != ClockState.RUNNING) {
            return over(c);
        }
        clocks.publish(WARNING, c, t.dueAt, now, t.latenessMs, null, null, c.startedAt, null, null, null);
        return null;
    }

    private TimerSkip breach(StageClock c, Timer t, Instant now) {
        if (c.state == ClockState.BREACHED) {
            return null; // decided by an escalation that was claimed first (see escalate); published then
        }
        if (c.state != ClockState.RUNNING) {
            return over(c);
        }
        breachNow(c, t.dueAt, now);
        return null;
    }

    private void breachNow(StageClock c, Instant dueAt, Instant now) {
        c.state = ClockState.BREACHED;
        clocks.decide(c, Outcome.BREACHED);
        long late = Duration.between(dueAt, now).toMillis();
        clocks.publish(BREACHED, c, dueAt, now, late, null, null, c.startedAt, null, null, null);
    }

    private TimerSkip escalate(StageClock c, Timer t, Instant now) {
        Instant breachAt = clocks.breachAt(c);
        if (c.state == ClockState.RUNNING && !now.isBefore(breachAt)) {
            // the breach timer is in another replica's claim or not yet claimed: the breach is
            // decided here, once (that timer will find the stage breached), so no level is skipped
            breachNow(c, breachAt, now);
        }
        if (c.state != ClockState.BREACHED) {
            return over(c);
        }
        PolicyDefinition.StageRule rule = clocks.policy(c).definition.stages().get(c.ordinal);
        PolicyDefinition.Level step = rule.ladder().stream().filter(l -> l.level() == t.level).findFirst()
                .orElse(null);
        c.escalationLevel = Math.max(c.escalationLevel, t.level);
        metrics.escalation(c, t.level);
        clocks.publish(ESCALATED, c, t.dueAt, now, t.latenessMs, t.level, step, c.startedAt, null, null, null);
        return null;
    }
}

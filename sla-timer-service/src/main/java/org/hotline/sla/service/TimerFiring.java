package org.hotline.sla.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.hotline.sla.model.ClockState;
import org.hotline.sla.model.Outcome;
import org.hotline.sla.model.PolicyDefinition;
import org.hotline.sla.model.StageClock;
import org.hotline.sla.model.Timer;
import org.hotline.sla.model.TimerKind;

import org.hibernate.jpa.HibernateHints;
import org.hotline.backbone.outbox.Outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Fires due timers, exactly once across restarts and replicas: a transaction claims due rows
 * with {@code FOR UPDATE SKIP LOCKED} (other replicas skip them), decides each against its clock,
 * writes the resulting event to the outbox and marks the row fired, and commits all of it
 * together. A crash before commit leaves the rows unfired for the next claim; after commit they
 * are never claimed again.
 */
@ApplicationScoped
public class TimerFiring {

    public static final String WARNING = "sla.warning";
    public static final String BREACHED = "sla.breached";
    public static final String ESCALATED = "sla.escalated";

    private final EntityManager em;
    private final ClockService clocks;
    private final SlaMetrics metrics;
    private final Clock clock;
    private final Outbox outbox;

    public TimerFiring(EntityManager em, ClockService clocks, SlaMetrics metrics, Clock clock, Outbox outbox) {
        this.em = em;
        this.outbox = outbox;
        this.clocks = clocks;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Claims and fires up to {@code limit} due timers; returns how many it claimed. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int fireDue(int limit) {
        Instant now = clock.instant();
        // warning before breach before escalation when due together (level 1 is due with the breach)
        @SuppressWarnings("unchecked")
        List<Timer> due = em.createNativeQuery("select * from timer where fired_at is null and due_at <= ?1"
                + " order by due_at, case kind when 'WARNING' then 0 when 'BREACH' then 1 else 2 end, level, id"
                + " limit ?2 for update skip locked", Timer.class)
                // read-only: no per-entity dirty check and UPDATE; the fired marks are two statements below
                .setHint(HibernateHints.HINT_READ_ONLY, true)
                .setParameter(1, now).setParameter(2, limit).getResultList();
        if (due.isEmpty()) {
            return 0;
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
        markFired(due.stream().filter(t -> !t.cancelled).toList(), now, false);
        markFired(due.stream().filter(t -> t.cancelled).toList(), now, true);
        return due.size();
    }

    /** Fired (or found moot: cancelled), with how late, as fire() decided; same lateness arithmetic as there. */
    private void markFired(List<Timer> timers, Instant now, boolean cancelled) {
        if (timers.isEmpty()) {
            return;
        }
        em.createNativeQuery("update timer set fired_at = ?1, cancelled = ?2,"
                + " lateness_ms = floor(extract(epoch from (?1 - due_at)) * 1000)::bigint where id = any(?3)")
                .setParameter(1, now).setParameter(2, cancelled)
                .setParameter(3, timers.stream().map(t -> t.id).toArray(Long[]::new)).executeUpdate();
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
        boolean effective = switch (t.kind) {
            case WARNING -> warn(c, t, now);
            case BREACH -> breach(c, t, now);
            case ESCALATION -> escalate(c, t, now);
        };
        t.cancelled = !effective;
    }

    private boolean warn(StageClock c, Timer t, Instant now) {
        if (c.state != ClockState.RUNNING) {
            return false;
        }
        clocks.publish(WARNING, c, t.dueAt, now, t.latenessMs, null, null, c.startedAt, null, null, null);
        return true;
    }

    private boolean breach(StageClock c, Timer t, Instant now) {
        if (c.state != ClockState.RUNNING) {
            return false;
        }
        breachNow(c, t.dueAt, now);
        return true;
    }

    private void breachNow(StageClock c, Instant dueAt, Instant now) {
        c.state = ClockState.BREACHED;
        clocks.decide(c, Outcome.BREACHED);
        long late = Duration.between(dueAt, now).toMillis();
        clocks.publish(BREACHED, c, dueAt, now, late, null, null, c.startedAt, null, null, null);
    }

    private boolean escalate(StageClock c, Timer t, Instant now) {
        if (c.state == ClockState.RUNNING && !now.isBefore(c.deadline)) {
            // the breach timer is in another replica's claim or not yet claimed: the breach is
            // decided here, once (that timer will find the stage breached), so no level is skipped
            breachNow(c, c.deadline, now);
        }
        if (c.state != ClockState.BREACHED) {
            return false;
        }
        PolicyDefinition.StageRule rule = clocks.policy(c).definition.stages().get(c.ordinal);
        PolicyDefinition.Level step = rule.ladder().stream().filter(l -> l.level() == t.level).findFirst()
                .orElse(null);
        c.escalationLevel = Math.max(c.escalationLevel, t.level);
        metrics.escalation(c, t.level);
        clocks.publish(ESCALATED, c, t.dueAt, now, t.latenessMs, t.level, step, c.startedAt, null, null, null);
        return true;
    }
}

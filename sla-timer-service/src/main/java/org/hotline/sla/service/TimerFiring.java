package org.hotline.sla.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import org.hotline.backbone.outbox.Outbox;
import org.hotline.sla.config.SlaConfig;
import org.hotline.sla.messaging.SlaEvents;
import org.hotline.sla.model.ClockState;
import org.hotline.sla.model.Outcome;
import org.hotline.sla.model.PolicyDefinition;
import org.hotline.sla.model.StageClock;
import org.hotline.sla.model.Timer;
import org.hotline.sla.model.TimerSkip;
import org.hotline.sla.repository.StageClockRepository;
import org.hotline.sla.repository.TimerRepository;
import org.jboss.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
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

    private final TimerRepository timers;
    private final StageClockRepository stageClocks;
    private final ClockService clocks;
    private final SlaEvents events;
    private final SlaMetrics metrics;
    private final Clock clock;
    private final Outbox outbox;
    private final SlaConfig config;

    public TimerFiring(TimerRepository timers, StageClockRepository stageClocks, ClockService clocks, SlaEvents events,
            SlaMetrics metrics, Clock clock, Outbox outbox, SlaConfig config) {
        this.timers = timers;
        this.stageClocks = stageClocks;
        this.clocks = clocks;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
        this.outbox = outbox;
        this.config = config;
    }

    /** Claims and fires up to {@code limit} due timers; returns how many it claimed. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int fireDue(int limit) {
        Instant now = clock.instant();
        List<Timer> due = timers.claimDue(now, limit);
        fire(due, now);
        return due.size();
    }

    /**
     * After a batch failed: the due timers' ids, to fire one at a time ({@link #fireOne}), so a
     * poison timer fails alone and the others still fire.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<Long> dueIds(int limit) {
        return timers.dueIds(clock.instant(), limit);
    }

    /** Fires one timer in a transaction of its own; false if another thread or replica holds or fired it. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean fireOne(long id) {
        List<Timer> due = timers.claim(id);
        fire(due, clock.instant());
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
        Optional<TimerRepository.Attempt> attempt = timers.recordFailure(id,
                message.length() > 2000 ? message.substring(0, 2000) : message);
        if (attempt.isEmpty() || attempt.get().attempts() < config.engine().maxAttempts()) {
            return false;
        }
        timers.quarantine(id, clock.instant());
        metrics.quarantined(attempt.get().kind().name());
        LOG.errorf("timer %d (%s) quarantined after %d failed attempts: %s", id, attempt.get().kind(),
                attempt.get().attempts(), message);
        return true;
    }

    /** The earliest unfired due time, or null. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Instant nextDue() {
        return timers.nextDue();
    }

    private void fire(List<Timer> due, Instant now) {
        if (due.isEmpty()) {
            return;
        }
        // every clock of the tickets involved, locked in id order: the order consumers lock them too, so
        // the two never deadlock and one ticket's events are written in the order they were decided
        stageClocks.lockClocksOf(due.stream().map(t -> t.ticketId).distinct().toArray(UUID[]::new));
        // the batch's events go to the outbox in one JDBC batch
        outbox.batch(() -> {
            for (Timer t : due) {
                fire(t, now);
            }
            return null;
        });
        Map<Optional<TimerSkip>, List<Timer>> byReason = due.stream()
                .collect(Collectors.groupingBy(t -> Optional.ofNullable(t.skipReason)));
        byReason.forEach((reason, fired) -> timers.markFired(fired, now, reason.orElse(null)));
    }

    private void fire(Timer t, Instant now) {
        StageClock c = stageClocks.findById(t.clockId);
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
        events.warning(c, t, now);
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
        events.breached(c, dueAt, now);
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
        PolicyDefinition.Level step = clocks.rule(c).ladder().stream().filter(l -> l.level() == t.level).findFirst()
                .orElse(null);
        c.escalationLevel = Math.max(c.escalationLevel, t.level);
        metrics.escalation(c, t.level);
        events.escalated(c, t, step, now);
        return null;
    }
}

package org.hotline.sla.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.hotline.backbone.config.BackboneConfig;
import org.hotline.backbone.outbox.Outbox;
import org.hotline.sla.config.SlaConfig;
import org.hotline.sla.messaging.ClockEvent;
import org.hotline.sla.messaging.TicketReceived;
import org.hotline.sla.messaging.TicketRepeat;
import org.hotline.sla.model.Anchor;
import org.hotline.sla.model.ClockState;
import org.hotline.sla.model.Outcome;
import org.hotline.sla.model.Policy;
import org.hotline.sla.model.PolicyDefinition;
import org.hotline.sla.model.StageClock;
import org.hotline.sla.model.StageName;
import org.hotline.sla.model.Timer;
import org.hotline.sla.model.TimerKind;
import org.hotline.sla.model.TimerSkip;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

/**
 * The rules of a ticket's clocks: arming from the pinned policy, meeting a stage, stopping,
 * reopening and extensions. Lock order everywhere: a ticket's unfired timers, then its clocks in id
 * order; the timer engine claims timers (skipping locked ones) and then clocks in id order, so the
 * two never deadlock and never both decide one stage.
 */
@ApplicationScoped
public class ClockService {

    public static final String STAGE_MET = "sla.stage-met";
    public static final String BREACH_CORRECTED = "sla.breach-corrected";

    private final PolicyService policies;
    private final SlaConfig config;
    private final Clock clock;
    private final EntityManager em;
    private final Outbox outbox;
    private final SlaMetrics metrics;
    private final Event<TimerArmed> armed;
    private final CalendarService calendar;
    private final BackboneConfig backbone;

    public ClockService(PolicyService policies, SlaConfig config, Clock clock, EntityManager em, Outbox outbox,
            SlaMetrics metrics, Event<TimerArmed> armed, CalendarService calendar, BackboneConfig backbone) {
        this.backbone = backbone;
        this.calendar = calendar;
        this.policies = policies;
        this.config = config;
        this.clock = clock;
        this.em = em;
        this.outbox = outbox;
        this.metrics = metrics;
        this.armed = armed;
    }

    /** Ticket received: one clock per stage of the selected policy, version pinned. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void onTicketReceived(TicketReceived t) {
        if (StageClock.count("ticketId", t.ticketId()) > 0) {
            return;
        }
        Policy policy = policies.select(t);
        Instant receipt = t.reportedAt() != null ? t.reportedAt() : t.receivedAt();
        int ordinal = 0;
        for (PolicyDefinition.StageRule rule : policy.definition.stages()) {
            StageClock c = new StageClock();
            c.ticketId = t.ticketId();
            c.stage = rule.stage();
            c.ordinal = ordinal++;
            c.policyId = policy.id;
            c.policyCode = policy.code;
            c.policyVersion = policy.version;
            c.street = t.street();
            c.category = t.category();
            c.escalationLevel = 0;
            c.state = ClockState.PENDING;
            c.persist();
            if (rule.anchor() == Anchor.RECEIPT) {
                start(c, rule, receipt);
            }
        }
    }

    /**
     * A stage ended (from dispatch's events). Reaching a stage also ends the earlier ones still
     * open: a team on scene was certainly dispatched. A stage met after its deadline, or whose
     * breach already fired, counts as breached.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void onStageEnded(UUID ticketId, StageName stage, Instant at) {
        List<StageClock> clocks = lockTicket(ticketId);
        StageClock target = latest(clocks, stage);
        if (target == null) {
            return; // this ticket's policy has no such stage (1310 has no resolve stage)
        }
        for (StageClock c : clocks) {
            if (c.ordinal <= target.ordinal) {
                meet(c, at, clocks);
            }
        }
    }

    private void meet(StageClock c, Instant at, List<StageClock> all) {
        if (c.state == ClockState.MET || c.state == ClockState.MET_LATE || c.state == ClockState.STOPPED) {
            return;
        }
        // decided by when the stage ended (the event's own time), not by when its event arrived
        boolean onTime = c.deadline == null || !at.isAfter(c.deadline);
        boolean corrected = c.state == ClockState.BREACHED && !at.isAfter(c.breachDeadline);
        if (corrected) {
            correctBreach(c, at);
        } else if (c.outcome == null) {
            decide(c, onTime ? Outcome.ON_TIME : Outcome.BREACHED);
        }
        c.metAt = at;
        c.state = c.outcome == Outcome.ON_TIME ? ClockState.MET : ClockState.MET_LATE;
        cancelPendingTimers(c, corrected ? TimerSkip.BREACH_CORRECTED : TimerSkip.STAGE_MET);
        if (c.startedAt != null) {
            metrics.duration(c, Duration.between(c.startedAt, at));
        }
        publish(STAGE_MET, c, null, null, null, null, null, c.startedAt, at, c.outcome == Outcome.ON_TIME,
                c.startedAt == null ? null : Duration.between(c.startedAt, at).toMillis());
        // a chained next stage starts counting now
        PolicyDefinition def = policy(c).definition;
        StageClock next = all.stream().filter(x -> x.ordinal == c.ordinal + 1)
                .max(java.util.Comparator.comparingInt(x -> x.round)).orElse(null);
        if (next != null && next.state == ClockState.PENDING) {
            PolicyDefinition.StageRule rule = def.stages().get(next.ordinal);
            if (rule.anchor() == Anchor.PREVIOUS_STAGE) {
                start(next, rule, at);
            }
        }
    }

    /**
     * The stage ended by its deadline, but the proof arrived after the breach was published (relay
     * lag, a broker failover, a rebalance longer than the grace): the breach is corrected, never
     * silently: the outcome becomes ON_TIME, the correction is kept as an adjustment, and
     * {@code sla.breach-corrected} tells everyone who heard of the breach. The ladder stops with the
     * stage (the caller cancels its timers); escalations already sent stay in the record.
     */
    private void correctBreach(StageClock c, Instant at) {
        em.createNativeQuery("insert into clock_adjustment (clock_id, kind, old_deadline, new_deadline, reason, actor,"
                + " event_id, at) values (?1, 'BREACH_CORRECTED', ?2, ?2, ?3, 'sla-timer-service', null, ?4)")
                .setParameter(1, c.id).setParameter(2, c.breachDeadline)
                .setParameter(3, "ended at " + at + ", by the deadline; the breach was published before its event arrived")
                .setParameter(4, clock.instant()).executeUpdate();
        metrics.corrected(c);
        c.outcome = Outcome.ON_TIME;
        publish(BREACH_CORRECTED, c, null, null, null, c.escalationLevel == 0 ? null : c.escalationLevel, null,
                c.startedAt, at, true, c.startedAt == null ? null : Duration.between(c.startedAt, at).toMillis());
    }

    /** Ticket cancelled: every clock stops, nothing more fires, and no outcome is counted. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void onTicketCancelled(UUID ticketId) {
        for (StageClock c : lockTicket(ticketId)) {
            if (c.state == ClockState.PENDING || c.state == ClockState.RUNNING || c.state == ClockState.BREACHED) {
                c.state = ClockState.STOPPED;
                cancelPendingTimers(c, TimerSkip.TICKET_CANCELLED);
            }
        }
    }

    /**
     * An approved extension (延期) moves the stage's deadline; the adjustment is kept with who,
     * why and the old deadline. A running stage gets its breach and ladder re-armed for the new
     * deadline (and its warning, if that has not fired yet); met by the new deadline it counts as
     * on time. A stage already breached stays breached: the new deadline is recorded and its
     * remaining ladder stops, so no breach or escalation is ever published twice.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void onExtensionApproved(UUID ticketId, StageName stage, Instant newDeadline, String actor, String reason,
            String eventId) {
        StageClock c = latest(lockTicket(ticketId), stage);
        if (c == null || (c.state != ClockState.RUNNING && c.state != ClockState.BREACHED)) {
            return; // no such stage in this policy, or it is over: nothing to move
        }
        em.createNativeQuery("insert into clock_adjustment (clock_id, kind, old_deadline, new_deadline, reason, actor,"
                + " event_id, at) values (?1, 'EXTENSION', ?2, ?3, ?4, ?5, ?6, ?7)")
                .setParameter(1, c.id).setParameter(2, c.deadline).setParameter(3, newDeadline)
                .setParameter(4, reason).setParameter(5, actor).setParameter(6, eventId)
                .setParameter(7, clock.instant()).executeUpdate();
        cancelPendingTimers(c, TimerSkip.DEADLINE_MOVED);
        c.deadline = newDeadline;
        if (c.state == ClockState.BREACHED) {
            return;
        }
        PolicyDefinition.StageRule rule = policy(c).definition.stages().get(c.ordinal);
        boolean warned = Timer.count("clockId = ?1 and kind = ?2 and cancelled = false and firedAt is not null",
                c.id, TimerKind.WARNING) > 0;
        c.warnAt = rule.warnAt(c.startedAt, newDeadline);
        arm(c, rule, !warned);
    }

    /**
     * Ticket reopened (dissatisfied follow-up): each stage the pinned policy marks RESTART and that
     * was met runs again as a new round counted from the reopening; earlier rounds keep their outcome.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void onTicketReopened(UUID ticketId, Instant at) {
        List<StageClock> clocks = lockTicket(ticketId);
        PolicyDefinition def = policy(clocks.get(0)).definition;
        for (PolicyDefinition.StageRule rule : def.stages()) {
            StageClock last = latest(clocks, rule.stage());
            if (rule.onReopen() != PolicyDefinition.OnReopen.RESTART || last == null
                    || (last.state != ClockState.MET && last.state != ClockState.MET_LATE)) {
                continue; // kept, still running, or stopped by a cancellation
            }
            StageClock again = new StageClock();
            again.ticketId = last.ticketId;
            again.stage = last.stage;
            again.ordinal = last.ordinal;
            again.round = last.round + 1;
            again.policyId = last.policyId;
            again.policyCode = last.policyCode;
            again.policyVersion = last.policyVersion;
            again.street = last.street;
            again.category = last.category;
            again.unitType = last.unitType;
            again.state = ClockState.PENDING;
            again.persist();
            start(again, rule, at);
        }
    }

    /**
     * A repeat report (重复件) of this ticket: counted, and never a new clock. Each stage already
     * breached whose pinned policy says ESCALATE_NOW has its next escalation level brought forward
     * to now (the engine fires it, once, as usual), audited as an adjustment; running stages are
     * untouched (the handling unit is told by notification-service).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void onRepeatReported(TicketRepeat repeat, String eventId) {
        List<StageClock> clocks = lockTicket(repeat.ticketId());
        Instant now = clock.instant();
        int added = em.createNativeQuery("insert into ticket_repeat (ticket_id, repeat_id, reported_at, recorded_at)"
                + " values (?1, ?2, ?3, ?4) on conflict do nothing").setParameter(1, repeat.ticketId())
                .setParameter(2, repeat.repeatId()).setParameter(3, repeat.reportedAt()).setParameter(4, now)
                .executeUpdate();
        if (added == 0) {
            return; // this repeat was applied already
        }
        PolicyDefinition def = policy(clocks.get(0)).definition;
        boolean moved = false;
        for (PolicyDefinition.StageRule rule : def.stages()) {
            StageClock c = latest(clocks, rule.stage());
            if (c == null || c.state != ClockState.BREACHED || rule.onRepeat() != PolicyDefinition.OnRepeat.ESCALATE_NOW) {
                continue;
            }
            Timer next = Timer.<Timer>find("clockId = ?1 and kind = ?2 and firedAt is null order by level", c.id,
                    TimerKind.ESCALATION).firstResult();
            if (next == null || !next.dueAt.isAfter(now)) {
                continue; // top of the ladder reached, or the level is due anyway
            }
            em.createNativeQuery("insert into clock_adjustment (clock_id, kind, old_deadline, new_deadline, reason,"
                    + " actor, event_id, at) values (?1, 'REPEAT_ESCALATION', ?2, ?3, ?4, 'intake', ?5, ?6)")
                    .setParameter(1, c.id).setParameter(2, next.dueAt).setParameter(3, now)
                    .setParameter(4, "repeat report " + repeat.repeatId() + " brings level " + next.level + " forward")
                    .setParameter(5, eventId).setParameter(6, now).executeUpdate();
            next.dueAt = now;
            moved = true;
        }
        if (moved) {
            armed.fire(new TimerArmed());
        }
    }

    /** An operator said "not a repeat": it no longer counts (a level it brought forward stays: it happened). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void onRepeatOverridden(TicketRepeat repeat) {
        lockTicket(repeat.ticketId());
        em.createNativeQuery("delete from ticket_repeat where ticket_id = ?1 and repeat_id = ?2")
                .setParameter(1, repeat.ticketId()).setParameter(2, repeat.repeatId()).executeUpdate();
    }

    /** Repeat reports counted for the ticket (the console's 重复 badge). */
    public int repeats(UUID ticketId) {
        return ((Number) em.createNativeQuery("select count(*) from ticket_repeat where ticket_id = ?1")
                .setParameter(1, ticketId).getSingleResult()).intValue();
    }

    private static StageClock latest(List<StageClock> clocks, StageName stage) {
        return clocks.stream().filter(c -> c.stage == stage).max(java.util.Comparator.comparingInt(c -> c.round))
                .orElse(null);
    }

    /**
     * The lead unit's type, for on-time rates per unit type. Only stages still undecided take it: a
     * decided outcome keeps the unit it was decided against, whoever leads afterwards (a lapse or a
     * re-dispatch moves the lead), so the summary, the metrics and the events agree for good.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void onLeadAssigned(UUID ticketId, String unitType) {
        for (StageClock c : lockTicket(ticketId)) {
            if (c.outcome == null && c.state != ClockState.STOPPED) {
                c.unitType = unitType;
            }
        }
    }

    /** Starts a stage's time from its anchor and writes its warning, breach and ladder timers. */
    void start(StageClock c, PolicyDefinition.StageRule rule, Instant anchor) {
        c.startedAt = anchor;
        if (rule.workingDays() != null) {
            // counted on the calendar, in China's time zone; never compressed
            c.deadline = WorkingDays.add(anchor.atZone(backbone.timeZone()).toLocalDateTime(), rule.workingDays(),
                    calendar.days()).atZone(backbone.timeZone()).toInstant();
        } else {
            c.deadline = anchor.plus(compress(rule.duration()));
        }
        c.warnAt = rule.warnAt(anchor, c.deadline);
        c.state = ClockState.RUNNING;
        arm(c, rule, true);
    }

    private void arm(StageClock c, PolicyDefinition.StageRule rule, boolean withWarning) {
        if (withWarning) {
            timer(c, TimerKind.WARNING, 0, c.warnAt);
        }
        // the breach waits out the grace, so a stage end that happened in time but is still on its
        // way (relay lag) is counted on time instead of corrected later; the ladder counts from it
        Instant breachAt = breachAt(c);
        timer(c, TimerKind.BREACH, 0, breachAt);
        for (PolicyDefinition.Level level : rule.ladder() == null ? List.<PolicyDefinition.Level>of() : rule.ladder()) {
            timer(c, TimerKind.ESCALATION, level.level(), breachAt.plus(compress(level.after())));
        }
        armed.fire(new TimerArmed());
    }

    private static void timer(StageClock c, TimerKind kind, int level, Instant due) {
        Timer t = new Timer();
        t.clockId = c.id;
        t.ticketId = c.ticketId;
        t.kind = kind;
        t.level = level;
        t.dueAt = due;
        t.persist();
    }

    /** When a running stage's breach is published: its deadline plus the grace for events on their way. */
    Instant breachAt(StageClock c) {
        return c.deadline.plus(config.breachGrace());
    }

    /** The single place where a stage's outcome is decided and counted (a correction: correctBreach). */
    void decide(StageClock c, Outcome outcome) {
        if (c.outcome == null) {
            c.outcome = outcome;
            if (outcome == Outcome.BREACHED) {
                c.breachDeadline = c.deadline;
            }
            metrics.outcome(c, outcome);
        }
    }

    void publish(String type, StageClock c, Instant dueAt, Instant firedAt, Long latenessMs, Integer level,
            PolicyDefinition.Level step, Instant startedAt, Instant metAt, Boolean onTime, Long durationMs) {
        Boolean late = latenessMs == null ? null : latenessMs > config.lateAfter().toMillis();
        outbox.publish(config.topics().slaEvents(), type, c.ticketId.toString(),
                new ClockEvent(c.ticketId.toString(), c.stage.name(), c.round, c.policyCode, c.policyVersion, c.street,
                        c.category, c.unitType, c.deadline, dueAt, firedAt, latenessMs, late, level,
                        step == null ? null : step.recipient(), step == null ? null : step.action(), startedAt, metAt,
                        onTime, durationMs));
    }

    /**
     * Locks a ticket's unfired timers, then all its clocks in id order (the engine takes clocks in
     * that order too, after its timers), and returns the clocks fresh, by stage and round. Must be
     * the transaction's first read of these clocks. No clocks yet: the event is early, retried.
     */
    List<StageClock> lockTicket(UUID ticketId) {
        em.createNativeQuery("select id from timer where ticket_id = ?1 and fired_at is null order by id for update")
                .setParameter(1, ticketId).getResultList();
        List<StageClock> clocks = new java.util.ArrayList<>(em.createQuery(
                "from StageClock where ticketId = :t order by id", StageClock.class)
                .setParameter("t", ticketId).setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList());
        if (clocks.isEmpty()) {
            throw new ClocksNotArmedYetException(ticketId);
        }
        clocks.sort(java.util.Comparator.comparingInt((StageClock c) -> c.ordinal).thenComparingInt(c -> c.round));
        return clocks;
    }

    /** Closes the clock's unfired timers, saying why. */
    private void cancelPendingTimers(StageClock c, TimerSkip why) {
        em.createQuery("update Timer t set t.firedAt = :now, t.cancelled = true, t.skipReason = :why"
                + " where t.clockId = :c and t.firedAt is null")
                .setParameter("now", clock.instant()).setParameter("why", why).setParameter("c", c.id).executeUpdate();
    }

    Policy policy(StageClock c) {
        return em.find(Policy.class, c.policyId);
    }

    Duration compress(Duration d) {
        return d == null ? Duration.ZERO : d.dividedBy(config.timeCompression());
    }

    public List<StageClock> clocks(UUID ticketId) {
        return StageClock.list("ticketId = ?1 order by ordinal, round", ticketId);
    }

    public Instant now() {
        return clock.instant();
    }
}

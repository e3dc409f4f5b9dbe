package org.hotline.sla.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.hotline.backbone.config.BackboneConfig;
import org.hotline.sla.config.SlaConfig;
import org.hotline.sla.messaging.SlaEvents;
import org.hotline.sla.messaging.TicketReceived;
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
import org.hotline.sla.model.WorkingDays;
import org.hotline.sla.repository.ClockAdjustmentRepository;
import org.hotline.sla.repository.PolicyRepository;
import org.hotline.sla.repository.StageClockRepository;
import org.hotline.sla.repository.TimerRepository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

/**
 * The rules of a ticket's clocks: arming from the pinned policy, meeting a stage (and correcting a
 * breach a late proof disproves), stopping, reopening; and the single place where an outcome is
 * decided. Moved deadlines and repeat reports: {@link ClockAdjustmentService}. Lock order
 * everywhere: a ticket's unfired timers, then its clocks in id order
 * ({@link StageClockRepository#lockTicket}; a consumer's batch locks all its tickets so up front,
 * {@link StageClockRepository#lockTickets}); the timer engine claims timers (skipping locked ones)
 * and then clocks in id order, so the two never deadlock and never both decide one stage.
 * Over 300 lines on purpose: the clock's rules share that one lock order and the one place an
 * outcome is decided, which a split would scatter.
 */
@ApplicationScoped
public class ClockService {

    /** Policy definitions by version id (immutable once published). */
    private final Map<Long, PolicyDefinition> pinned = new ConcurrentHashMap<>();

    private final PolicyService policies;
    private final SlaConfig config;
    private final BackboneConfig backbone;
    private final Clock clock;
    private final StageClockRepository stageClocks;
    private final TimerRepository timers;
    private final PolicyRepository policyVersions;
    private final ClockAdjustmentRepository adjustments;
    private final SlaEvents events;
    private final SlaMetrics metrics;
    private final Event<TimerArmed> armed;
    private final CalendarService calendar;
    private final TransactionReads reads;

    public ClockService(PolicyService policies, SlaConfig config, BackboneConfig backbone, Clock clock,
            StageClockRepository stageClocks, TimerRepository timers, PolicyRepository policyVersions,
            ClockAdjustmentRepository adjustments, SlaEvents events, SlaMetrics metrics, Event<TimerArmed> armed,
            CalendarService calendar, TransactionReads reads) {
        this.policies = policies;
        this.config = config;
        this.backbone = backbone;
        this.clock = clock;
        this.stageClocks = stageClocks;
        this.timers = timers;
        this.policyVersions = policyVersions;
        this.adjustments = adjustments;
        this.events = events;
        this.metrics = metrics;
        this.armed = armed;
        this.calendar = calendar;
        this.reads = reads;
    }

    /**
     * Ticket received: one clock per stage of the selected policy, version pinned. The ticket's
     * clocks and timers go in one statement ({@link StageClockRepository#arm}), then its stage
     * starts are announced, in stage order.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void onTicketReceived(TicketReceived t) {
        if (stageClocks.armed(t.ticketId())) {
            return;
        }
        Policy policy = policies.select(t);
        Instant receipt = t.reportedAt() != null ? t.reportedAt() : t.receivedAt();
        int ordinal = 0;
        List<StageClockRepository.NewClock> armedClocks = new ArrayList<>();
        boolean anyTimer = false;
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
            if (rule.anchor() == Anchor.RECEIPT) {
                schedule(c, rule, receipt);
            }
            List<Timer> timers = c.state == ClockState.RUNNING ? timersFor(c, rule, true) : List.of();
            anyTimer |= !timers.isEmpty();
            armedClocks.add(new StageClockRepository.NewClock(c, timers));
        }
        stageClocks.arm(armedClocks);
        for (StageClockRepository.NewClock n : armedClocks) {
            if (n.clock().state == ClockState.RUNNING) {
                events.stageStarted(n.clock());
            }
        }
        if (anyTimer) {
            timersArmed();
        }
    }

    /**
     * A stage ended (from dispatch's events) at {@code at}, the moment it ended, whenever its event
     * arrives. Reaching a stage also ends the earlier ones still open: a team on scene was certainly
     * dispatched. A stage met after its deadline counts as breached.
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
        timers.closePending(c.id, clock.instant(), corrected ? TimerSkip.BREACH_CORRECTED : TimerSkip.STAGE_MET);
        if (c.startedAt != null) {
            metrics.duration(c, Duration.between(c.startedAt, at));
        }
        events.stageMet(c, at);
        // a chained next stage starts counting now
        StageClock next = all.stream().filter(x -> x.ordinal == c.ordinal + 1)
                .max(Comparator.comparingInt(x -> x.round)).orElse(null);
        if (next != null && next.state == ClockState.PENDING) {
            PolicyDefinition.StageRule rule = rule(next);
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
     * stage (the caller closes its timers); escalations already sent stay in the record.
     */
    private void correctBreach(StageClock c, Instant at) {
        adjustments.record(c.id, ClockAdjustmentRepository.Kind.BREACH_CORRECTED, c.breachDeadline, c.breachDeadline,
                "ended at " + at + ", by the deadline; the breach was published before its event arrived",
                "sla-timer-service", null, clock.instant());
        metrics.corrected(c);
        c.outcome = Outcome.ON_TIME;
        events.breachCorrected(c, at);
    }

    /** Ticket cancelled: every clock stops, nothing more fires, and no outcome is counted. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void onTicketCancelled(UUID ticketId) {
        for (StageClock c : lockTicket(ticketId)) {
            if (c.state == ClockState.PENDING || c.state == ClockState.RUNNING || c.state == ClockState.BREACHED) {
                c.state = ClockState.STOPPED;
                timers.closePending(c.id, clock.instant(), TimerSkip.TICKET_CANCELLED);
            }
        }
    }

    /**
     * Ticket reopened (dissatisfied follow-up): each stage the pinned policy marks RESTART and that
     * was met runs again as a new round counted from the reopening; earlier rounds keep their outcome.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void onTicketReopened(UUID ticketId, Instant at) {
        List<StageClock> clocks = lockTicket(ticketId);
        PolicyDefinition def = definition(clocks.get(0));
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
            schedule(again, rule, at);
            stageClocks.add(again);
            started(again, rule);
        }
    }

    /**
     * The lead unit's type, for on-time rates per unit type. Only stages still undecided take it: a
     * decided outcome keeps the unit it was decided against, whoever leads afterwards (a lapse or a
     * re-dispatch moves the lead), so the summary, the metrics and the events agree for good. Set on
     * the clocks themselves, not by a bulk update: a batch's later events change these same managed
     * clocks, and would write back the type a bulk update left them without.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void onLeadAssigned(UUID ticketId, String unitType) {
        for (StageClock c : lockTicket(ticketId)) {
            if (c.outcome == null && c.state != ClockState.STOPPED && !unitType.equals(c.unitType)) {
                c.unitType = unitType;
            }
        }
    }

    /** Starts a stage's time from its anchor and writes its warning, breach and ladder timers. */
    void start(StageClock c, PolicyDefinition.StageRule rule, Instant anchor) {
        schedule(c, rule, anchor);
        started(c, rule);
    }

    /** A stage starts counting from its anchor: its deadline and warning point. */
    private void schedule(StageClock c, PolicyDefinition.StageRule rule, Instant anchor) {
        c.startedAt = anchor;
        if (rule.workingDays() != null) {
            // counted on the calendar, in China's time zone; never compressed. The calendar is read
            // once per transaction (a batch's), not per stage started
            c.deadline = WorkingDays.add(anchor.atZone(backbone.timeZone()).toLocalDateTime(), rule.workingDays(),
                    reads.get(CalendarService.class, calendar::days)).atZone(backbone.timeZone()).toInstant();
        } else {
            c.deadline = anchor.plus(compress(rule.duration()));
        }
        c.warnAt = rule.warnAt(anchor, c.deadline);
        c.state = ClockState.RUNNING;
    }

    /** A started stage's timers written (the clock has its id) and its start announced. */
    private void started(StageClock c, PolicyDefinition.StageRule rule) {
        arm(c, rule, true);
        events.stageStarted(c);
    }

    /** Writes the stage's timers for its current deadline (the warning only if it is still to come). */
    void arm(StageClock c, PolicyDefinition.StageRule rule, boolean withWarning) {
        write(timersFor(c, rule, withWarning));
    }

    /** The stage's timers for its current deadline, not written yet. */
    private List<Timer> timersFor(StageClock c, PolicyDefinition.StageRule rule, boolean withWarning) {
        List<Timer> armedTimers = new ArrayList<>();
        if (withWarning) {
            armedTimers.add(TimerRepository.of(c, TimerKind.WARNING, 0, c.warnAt));
        }
        // the breach waits out the grace, so a stage end that happened in time but is still on its
        // way (relay lag) is counted on time instead of corrected later; the ladder counts from it
        Instant breachAt = breachAt(c);
        armedTimers.add(TimerRepository.of(c, TimerKind.BREACH, 0, breachAt));
        for (PolicyDefinition.Level level : rule.ladder() == null ? List.<PolicyDefinition.Level>of() : rule.ladder()) {
            armedTimers.add(TimerRepository.of(c, TimerKind.ESCALATION, level.level(),
                    breachAt.plus(compress(level.after()))));
        }
        return armedTimers;
    }

    /** Writes new timers together and wakes the engine after commit. */
    private void write(List<Timer> armedTimers) {
        if (!armedTimers.isEmpty()) {
            timers.arm(armedTimers);
            timersArmed();
        }
    }

    /**
     * Wakes the engine after commit (one of the new timers may be due before it wakes), once per
     * transaction however many stages it arms: each notification is a synchronization of the
     * transaction, and a batch arms dozens.
     */
    void timersArmed() {
        reads.once(TimerArmed.class, () -> armed.fire(new TimerArmed()));
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

    /** The ticket's clocks, locked; no clocks yet: the event is early (the caller parks it). */
    List<StageClock> lockTicket(UUID ticketId) {
        List<StageClock> clocks = stageClocks.lockTicket(ticketId);
        if (clocks.isEmpty()) {
            throw new ClocksNotArmedYetException(ticketId);
        }
        return clocks;
    }

    /** The newest round of a stage among a ticket's clocks (null: the policy has no such stage). */
    static StageClock latest(List<StageClock> clocks, StageName stage) {
        return clocks.stream().filter(c -> c.stage == stage).max(Comparator.comparingInt(c -> c.round)).orElse(null);
    }

    /**
     * The definition of the policy version the clock is pinned to. A version never changes once
     * published (a change is a new version), so each is read and parsed once per process, not once
     * per event or timer.
     */
    PolicyDefinition definition(StageClock c) {
        PolicyDefinition d = pinned.get(c.policyId);
        if (d == null) {
            d = policyVersions.findById(c.policyId).definition;
            pinned.put(c.policyId, d);
        }
        return d;
    }

    /** The pinned policy's rule for this clock's stage. */
    PolicyDefinition.StageRule rule(StageClock c) {
        return definition(c).stages().get(c.ordinal);
    }

    Duration compress(Duration d) {
        return d == null ? Duration.ZERO : d.dividedBy(config.timeCompression());
    }

    public List<StageClock> clocks(UUID ticketId) {
        return stageClocks.ofTicket(ticketId);
    }

    public Instant now() {
        return clock.instant();
    }
}

package org.hotline.sla.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.Map;

import org.hotline.sla.model.Outcome;
import org.hotline.sla.model.StageClock;
import org.hotline.sla.model.StageName;
import org.hotline.sla.model.TimerKind;
import org.hotline.sla.repository.StageClockRepository;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * The SLA numbers a dashboard charts. Outcomes are counted at the single place where a stage's
 * outcome is decided, and only once that transaction has committed (a rolled-back and retried
 * decision counts once), so the on-time rate from these counters equals the recount from the
 * database's {@code stage_clock.outcome}.
 */
@ApplicationScoped
public class SlaMetrics {

    private final MeterRegistry registry;
    private final TransactionSynchronizationRegistry transactions;
    private final Map<TimerKind, Timer> latenessTimers = new ConcurrentHashMap<>();
    /** Key of the transaction's list of counts waiting for its commit. */
    private static final Object PENDING = new Object();

    public SlaMetrics(MeterRegistry registry, StageClockRepository stageClocks,
            TransactionSynchronizationRegistry transactions) {
        this.registry = registry;
        this.transactions = transactions;
        for (StageName stage : StageName.values()) {
            Gauge.builder("sla.clocks.open", () -> QuarkusTransaction.requiringNew().call(() -> stageClocks.open(stage)))
                    .description("Stage clocks running or breached and not yet met").tag("stage", stage.name())
                    .register(registry);
        }
    }

    void outcome(StageClock c, Outcome outcome) {
        afterCommit(outcomeCounter(c, outcome)::increment);
    }

    private Counter outcomeCounter(StageClock c, Outcome outcome) {
        return Counter.builder("sla.stage.outcome").description("Stages decided: met on time, or breached")
                .tags("stage", c.stage.name(), "policy", c.policyCode, "street", c.street, "unit_type",
                        unitType(c), "outcome", outcome.name().toLowerCase())
                .register(registry);
    }

    /**
     * A published breach turned out to be on time (a late proof). The outcome counter cannot go
     * down: on-time counts one more, and this counts the breach to subtract (the recording rules
     * do: breached = outcome{breached} - corrections), so the rates follow the corrected outcome.
     */
    void corrected(StageClock c) {
        Counter onTime = outcomeCounter(c, Outcome.ON_TIME);
        Counter corrections = Counter.builder("sla.stage.outcome.corrections")
                .description("Published breaches corrected to on time by a late proof of an on-time end")
                .tags("stage", c.stage.name(), "policy", c.policyCode, "street", c.street, "unit_type", unitType(c),
                        "outcome", "breached")
                .register(registry);
        afterCommit(() -> {
            onTime.increment();
            corrections.increment();
        });
    }

    /** A warning that fell due only once its deadline had passed: superseded by the breach (recorded, not sent). */
    void warningSuperseded(StageClock c) {
        Counter counter = Counter.builder("sla.warnings.superseded")
                .description("Warnings not sent because their deadline had passed when they fired (the breach was sent)")
                .tags("stage", c.stage.name(), "street", c.street).register(registry);
        afterCommit(counter::increment);
    }

    /** A poison timer set aside after its attempts (alert on any). */
    void quarantined(String kind) {
        Counter counter = Counter.builder("sla.timers.quarantined")
                .description("Timers whose firing failed on every attempt, set aside for an operator")
                .tag("kind", kind).register(registry);
        afterCommit(counter::increment);
    }

    /** An engine pass, or one timer's firing, failed (retried). */
    void passFailed() {
        registry.counter("sla.engine.failures").increment();
    }

    void duration(StageClock c, Duration took) {
        Timer timer = Timer.builder("sla.stage.duration").description("From a stage's anchor to the moment it was met")
                .tags("stage", c.stage.name(), "policy", c.policyCode, "street", c.street, "unit_type", unitType(c))
                .publishPercentileHistogram().register(registry);
        afterCommit(() -> timer.record(took));
    }

    void lateness(TimerKind kind, Duration late) {
        Timer timer = latenessTimers.computeIfAbsent(kind, k -> Timer.builder("sla.timer.lateness")
                .description("How long after its due time a timer fired").tag("kind", k.name())
                .publishPercentileHistogram().register(registry));
        afterCommit(() -> timer.record(late));
    }

    void escalation(StageClock c, int level) {
        Counter counter = Counter.builder("sla.escalations").description("Escalation steps taken")
                .tags("stage", c.stage.name(), "level", String.valueOf(level), "street", c.street)
                .register(registry);
        afterCommit(counter::increment);
    }

    /** Runs after the transaction commits (never if it rolls back); one synchronization per transaction. */
    @SuppressWarnings("unchecked")
    private void afterCommit(Runnable count) {
        if (transactions.getTransactionKey() == null) {
            count.run();
            return;
        }
        List<Runnable> pending = (List<Runnable>) transactions.getResource(PENDING);
        if (pending == null) {
            List<Runnable> counts = new ArrayList<>();
            transactions.putResource(PENDING, counts);
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                    // counted only if the decision is kept
                }

                @Override
                public void afterCompletion(int status) {
                    if (status == Status.STATUS_COMMITTED) {
                        counts.forEach(Runnable::run);
                    }
                }
            });
            pending = counts;
        }
        pending.add(count);
    }

    private static String unitType(StageClock c) {
        return c.unitType == null ? "none" : c.unitType;
    }
}

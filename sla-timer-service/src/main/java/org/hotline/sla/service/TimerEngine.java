package org.hotline.sla.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.hotline.backbone.inbox.EventInbox;
import org.hotline.backbone.worker.WakeableLoop;
import org.hotline.sla.config.SlaConfig;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

/**
 * The engine's threads: each sleeps until the earliest pending timer is due (not a fixed poll, so
 * a 1-minute stage does not live with a polling error), fires what is due, and repeats. On start,
 * once its consumers have read what arrived meanwhile ({@link ConsumerCatchUp}), it fires
 * everything that fell due while the service was down, recorded as late.
 *
 * <p>Threads ({@code sla.engine.threads}, default 2) share the work exactly as replicas do (claims
 * skip each other's locked rows): while one waits for the database, the other decides its batch,
 * which roughly doubled burst throughput on two cores (docs/benchmarks.md).
 */
@ApplicationScoped
public class TimerEngine {

    private static final Logger LOG = Logger.getLogger(TimerEngine.class);
    private static final long LOCKED_ELSEWHERE_MS = 20;

    private final TimerFiring firing;
    private final ConsumerCatchUp catchUp;
    private final SlaConfig config;
    private final Clock clock;
    private final List<WakeableLoop> loops = new ArrayList<>();
    private final List<AtomicReference<Instant>> lastLoops = new ArrayList<>();
    /** When a pass last completed its firing (the engine turns; a failing pass does not count). */
    private final AtomicReference<Instant> lastPass = new AtomicReference<>();
    private final SlaMetrics metrics;

    public TimerEngine(TimerFiring firing, ConsumerCatchUp catchUp, SlaConfig config, Clock clock, SlaMetrics metrics) {
        this.metrics = metrics;
        this.firing = firing;
        this.catchUp = catchUp;
        this.config = config;
        this.clock = clock;
    }

    void start(@Observes StartupEvent ev) {
        if (!config.engine().enabled()) {
            LOG.warn("timer engine disabled (sla.engine.enabled=false)");
            return;
        }
        for (int i = 0; i < config.engine().threads(); i++) {
            WakeableLoop loop = new WakeableLoop("sla-timer-engine-" + i);
            AtomicReference<Instant> lastLoop = new AtomicReference<>(clock.instant());
            loops.add(loop);
            lastLoops.add(lastLoop);
            loop.start(step(lastLoop));
        }
    }

    private WakeableLoop.Step step(AtomicReference<Instant> lastLoop) {
        int batch = config.engine().batchSize();
        long idle = config.engine().idlePoll().toMillis();
        return new WakeableLoop.Step() {
            private boolean caughtUp;

            @Override
            public long run() {
                lastLoop.set(clock.instant());
                if (!caughtUp && !(caughtUp = catchUp.caughtUp())) {
                    return 250; // stage ends that arrived while we were down come first
                }
                int fired;
                try {
                    fired = firing.fireDue(batch);
                } catch (RuntimeException e) {
                    if (EventInbox.retryable(e)) {
                        throw e; // the database is away or busy: nothing is wrong with the timers
                    }
                    // something in the batch cannot fire: fire one by one, so it fails alone
                    LOG.warnf("timer batch failed, firing one by one: %s", e.toString());
                    fired = fireEach(batch);
                }
                lastPass.set(clock.instant());
                if (fired >= batch) {
                    return 0; // a backlog (after downtime, or a burst): drain before sleeping
                }
                Instant next = firing.nextDue();
                if (next == null) {
                    return idle;
                }
                long until = Duration.between(clock.instant(), next).toMillis() + 1;
                // already due but not claimable: another thread, replica or consumer holds it; do not spin
                return Math.min(idle, until > 0 ? until : LOCKED_ELSEWHERE_MS);
            }

            @Override
            public long onFailure(RuntimeException e) {
                metrics.passFailed();
                LOG.warnf("timer engine pass failed, retrying: %s", e.toString());
                return 500;
            }
        };
    }

    /**
     * Fires the due timers each in its own transaction. A timer that fails for a reason of its own
     * (not the database being away) has the attempt counted and, after sla.engine.max-attempts,
     * is quarantined: the others fire on time whatever one of them does.
     */
    private int fireEach(int batch) {
        int fired = 0;
        for (long id : firing.dueIds(batch)) {
            try {
                if (firing.fireOne(id)) {
                    fired++;
                }
            } catch (RuntimeException e) {
                if (EventInbox.retryable(e)) {
                    throw e;
                }
                metrics.passFailed();
                firing.recordFailure(id, e);
            }
        }
        return fired;
    }

    /** Every engine thread recomputes its sleep now (tests that move the clock call this). */
    public void wake() {
        loops.forEach(WakeableLoop::wake);
    }

    /** When a pass last fired what was due without failing as a whole (null: none yet). */
    public Instant lastPass() {
        return lastPass.get();
    }

    /** A transaction armed timers: recompute the sleep, one of them may be due sooner. */
    void onArmed(@Observes(during = TransactionPhase.AFTER_SUCCESS) TimerArmed armed) {
        loops.forEach(WakeableLoop::wake);
    }

    /** The batch in flight commits or rolls back, never half. */
    void stop(@Observes ShutdownEvent ev) {
        loops.forEach(WakeableLoop::signalStop); // all at once, so the 10 s grace is shared, not summed
        loops.forEach(loop -> loop.stop(Duration.ofSeconds(10)));
    }

    public boolean running() {
        return !loops.isEmpty() && loops.stream().allMatch(WakeableLoop::running);
    }

    /** When the least recently active thread last went round (a stuck thread shows here). */
    public Instant lastLoop() {
        return lastLoops.stream().map(AtomicReference::get).min(Instant::compareTo).orElse(null);
    }
}

package org.hotline.sla.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.hotline.backbone.worker.WakeableLoop;
import org.hotline.sla.config.SlaConfig;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

/**
 * The engine's one thread: sleeps until the earliest pending timer is due (not a fixed poll, so
 * a 1-minute stage does not live with a polling error), fires what is due, and repeats. On start,
 * once its consumers have read what arrived meanwhile ({@link ConsumerCatchUp}), it fires
 * everything that fell due while the service was down, recorded as late.
 */
@ApplicationScoped
public class TimerEngine {

    private static final Logger LOG = Logger.getLogger(TimerEngine.class);
    private static final long LOCKED_ELSEWHERE_MS = 20;

    private final TimerFiring firing;
    private final ConsumerCatchUp catchUp;
    private final SlaConfig config;
    private final Clock clock;
    private final WakeableLoop loop = new WakeableLoop("sla-timer-engine");
    private volatile Instant lastLoop;

    public TimerEngine(TimerFiring firing, ConsumerCatchUp catchUp, SlaConfig config, Clock clock) {
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
        int batch = config.engine().batchSize();
        long idle = config.engine().idlePoll().toMillis();
        loop.start(new WakeableLoop.Step() {
            private boolean caughtUp;

            @Override
            public long run() {
                lastLoop = clock.instant();
                if (!caughtUp && !(caughtUp = catchUp.caughtUp())) {
                    return 250; // stage ends that arrived while we were down come first
                }
                if (firing.fireDue(batch) >= batch) {
                    return 0; // a backlog (after downtime, or a burst): drain before sleeping
                }
                Instant next = firing.nextDue();
                if (next == null) {
                    return idle;
                }
                long until = Duration.between(clock.instant(), next).toMillis() + 1;
                // already due but not claimable: another replica or a consumer holds it; do not spin
                return Math.min(idle, until > 0 ? until : LOCKED_ELSEWHERE_MS);
            }

            @Override
            public long onFailure(RuntimeException e) {
                LOG.warnf("timer engine pass failed, retrying: %s", e.toString());
                return 500;
            }
        });
    }

    /** A transaction armed timers: recompute the sleep, one of them may be due sooner. */
    void onArmed(@Observes(during = TransactionPhase.AFTER_SUCCESS) TimerArmed armed) {
        loop.wake();
    }

    /** The batch in flight commits or rolls back, never half. */
    void stop(@Observes ShutdownEvent ev) {
        loop.stop(Duration.ofSeconds(10));
    }

    public boolean running() {
        return loop.running();
    }

    public Instant lastLoop() {
        return lastLoop;
    }
}

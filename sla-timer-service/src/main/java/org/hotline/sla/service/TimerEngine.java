package org.hotline.sla.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.hotline.sla.config.SlaConfig;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

/**
 * The engine's one thread: sleeps until the earliest pending timer is due (not a fixed poll, so
 * a 1-minute stage does not live with a polling error), fires what is due, and repeats. On start
 * it fires at once everything that fell due while the service was down, recorded as late.
 */
@ApplicationScoped
public class TimerEngine {

    private static final Logger LOG = Logger.getLogger(TimerEngine.class);

    private final TimerFiring firing;
    private final SlaConfig config;
    private final Clock clock;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean running;
    private volatile Instant lastLoop;
    private Thread worker;

    public TimerEngine(TimerFiring firing, SlaConfig config, Clock clock) {
        this.firing = firing;
        this.config = config;
        this.clock = clock;
    }

    void start(@Observes StartupEvent ev) {
        if (!config.engine().enabled()) {
            LOG.warn("timer engine disabled (sla.engine.enabled=false)");
            return;
        }
        running = true;
        worker = new Thread(this::loop, "sla-timer-engine");
        worker.setDaemon(true);
        worker.start();
    }

    /** A transaction armed timers: recompute the sleep, one of them may be due sooner. */
    void onArmed(@Observes(during = TransactionPhase.AFTER_SUCCESS) TimerArmed armed) {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    void stop(@Observes ShutdownEvent ev) {
        if (!running) {
            return;
        }
        running = false;
        wake.release();
        try {
            worker.join(10_000); // the batch in flight commits or rolls back, never half
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        int batch = config.engine().batchSize();
        long idle = config.engine().idlePoll().toMillis();
        while (running) {
            lastLoop = clock.instant();
            try {
                if (firing.fireDue(batch) >= batch) {
                    continue; // a backlog (after downtime, or a burst): drain before sleeping
                }
                Instant next = firing.nextDue();
                long sleep = next == null ? idle
                        : Math.min(idle, Math.max(0, Duration.between(clock.instant(), next).toMillis() + 1));
                if (sleep > 0 && wake.tryAcquire(sleep, TimeUnit.MILLISECONDS)) {
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warnf("timer engine pass failed, retrying: %s", e.toString());
                try {
                    Thread.sleep(500);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    public boolean running() {
        return running && worker != null && worker.isAlive();
    }

    public Instant lastLoop() {
        return lastLoop;
    }
}

package org.hotline.backbone.worker;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

/**
 * A background thread that runs a step, then sleeps for as long as the step asks or until woken
 * (e.g. after a commit that gave it work). Stopping lets the step in flight finish. Used by the
 * outbox relay and the SLA timer engine.
 */
public final class WakeableLoop {

    private static final Logger LOG = Logger.getLogger(WakeableLoop.class);

    /** One pass of work. */
    public interface Step {
        /** Does one pass; returns how many milliseconds to sleep before the next (0: go again at once). */
        long run() throws InterruptedException;

        /** A pass failed: returns how many milliseconds to wait before retrying. */
        default long onFailure(RuntimeException e) {
            return 500;
        }
    }

    private final String name;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean running;
    private Thread thread;

    public WakeableLoop(String name) {
        this.name = name;
    }

    public void start(Step step) {
        running = true;
        thread = new Thread(() -> loop(step), name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Cuts the current sleep short. Cheap; extra wakes collapse into one. */
    public void wake() {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    /**
     * Forgets the wakes so far, from inside a pass that is about to read everything committed until
     * now: they would only start another pass with nothing new. A wake after this starts one.
     */
    public void clearWakes() {
        wake.drainPermits();
    }

    /** Stops after the pass in flight, waiting at most {@code grace} for it. */
    public void stop(Duration grace) {
        if (thread == null || !thread.isAlive()) {
            return;
        }
        signalStop();
        try {
            thread.join(grace.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Asks the loop to stop after the step in flight, without waiting: a service with several loops
     * signals them all first, then joins each, so their grace periods overlap.
     */
    public void signalStop() {
        running = false;
        wake.release();
    }

    public boolean running() {
        return running && thread != null && thread.isAlive();
    }

    private void loop(Step step) {
        while (running) {
            long sleep;
            try {
                sleep = step.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                sleep = step.onFailure(e);
                LOG.debugf("%s pass failed: %s", name, e);
            }
            if (sleep > 0 && running) {
                try {
                    if (wake.tryAcquire(sleep, TimeUnit.MILLISECONDS)) {
                        wake.drainPermits();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}

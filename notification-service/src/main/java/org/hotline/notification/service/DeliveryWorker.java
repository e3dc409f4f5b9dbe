package org.hotline.notification.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.hotline.backbone.security.Mask;
import org.hotline.backbone.worker.WakeableLoop;
import org.hotline.notification.config.NotificationConfig;
import org.hotline.notification.model.Channel;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

/**
 * The durable delivery worker: one loop that claims due rows ({@link DeliveryLeases}) and hands
 * each to one of {@code concurrency} senders, which sends it and records its outcome
 * ({@link DeliveryAttempts}: SENT, RETRYING with backoff, DEAD). Channels whose circuit breaker is
 * open are left out of the claim.
 *
 * <p>No barrier: the loop claims whenever senders are free, as many rows as there are free senders
 * (at most batch-size), and each sender that finishes wakes it; a slow call holds up its own sender
 * only, not a whole batch. The loop also wakes after each commit that wrote rows, else sleeps until
 * the next due row, at most poll-interval.
 *
 * <p>No double send across replicas: a claim never takes more rows than there are free senders,
 * so none waits in this worker for one, and a call starts only while the row's lease covers it
 * (renewed first if not: {@link DeliveryLeases}); the lease must outlast one call (connect + read
 * timeout, checked at start). Fencing covers what is left (a stalled JVM, a clock jump).
 *
 * <p>Order: a row is not claimed while an earlier row (lower seq) for the same ticket, recipient
 * and channel is still PENDING or RETRYING, so one recipient gets a ticket's messages on one
 * channel in the order the events were consumed. A DEAD row no longer holds back the later ones.
 */
@ApplicationScoped
public class DeliveryWorker {

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);

    private final NotificationConfig config;
    private final Clock clock;
    private final ChannelBreakers breakers;
    private final DeliveryLeases leases;
    private final DeliveryAttempts attempts;
    private final WakeableLoop loop = new WakeableLoop("notification-delivery");
    private ExecutorService pool;
    /** One permit per idle sender: the loop claims no more rows than it holds. */
    private Semaphore free;
    private volatile Instant lastPass;
    private volatile Instant lastIdle;

    public DeliveryWorker(NotificationConfig config, Clock clock, ChannelBreakers breakers, DeliveryLeases leases,
            DeliveryAttempts attempts) {
        this.config = config;
        this.clock = clock;
        this.breakers = breakers;
        this.leases = leases;
        this.attempts = attempts;
    }

    void start(@Observes StartupEvent ev) {
        if (!config.delivery().enabled()) {
            LOG.warn("delivery worker disabled (notification.delivery.enabled=false): rows stay PENDING");
            return;
        }
        leases.checkLease();
        AtomicInteger n = new AtomicInteger();
        free = new Semaphore(config.delivery().concurrency());
        pool = Executors.newFixedThreadPool(config.delivery().concurrency(), r -> {
            Thread t = new Thread(r, "notification-send-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        loop.start(new WakeableLoop.Step() {
            @Override
            public long run() {
                lastPass = clock.instant();
                return pass();
            }

            @Override
            public long onFailure(RuntimeException e) {
                LOG.warnf("delivery pass failed, retrying: %s", Mask.phonesIn(e.toString()));
                return 1000;
            }
        });
    }

    /** New rows committed: look at once instead of at the next poll. */
    void onWritten(@Observes(during = TransactionPhase.AFTER_SUCCESS) NotificationsWritten written) {
        loop.wake();
    }

    void stop(@Observes ShutdownEvent ev) {
        loop.stop(Duration.ofSeconds(10));
        if (pool != null) {
            pool.shutdown();
            try {
                // sends in flight record their outcomes before the datasource goes; one cut off is retried after its lease
                pool.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * One pass: claims as many due rows as there are free senders and hands them out, without
     * waiting for their sends. Returns how long to sleep; a sender that finishes cuts it short.
     */
    long pass() {
        int senders = free.availablePermits();
        if (senders == 0) {
            return config.delivery().pollInterval().toMillis(); // every sender busy: the first to finish wakes us
        }
        Instant now = clock.instant();
        if (senders == config.delivery().concurrency()) {
            lastIdle = now;
        }
        List<String> channels = new ArrayList<>();
        for (Channel c : Channel.values()) {
            if (breakers.callable(c)) {
                channels.add(c.name());
            }
        }
        int limit = Math.max(1, Math.min(senders, config.delivery().batchSize()));
        DeliveryLeases.Claim claimed = channels.isEmpty() ? DeliveryLeases.Claim.NONE : leases.claim(now, channels, limit);
        for (Delivery row : claimed.rows()) {
            free.acquireUninterruptibly(); // only this thread takes permits, and it claimed no more than were free
            pool.execute(() -> send(row, claimed));
        }
        if (claimed.rows().size() == limit) {
            return 0; // the claim was full: more rows may be due
        }
        long sleep = config.delivery().pollInterval().toMillis();
        Instant next = leases.nextAttemptAfter(now);
        if (next != null) {
            sleep = Math.min(sleep, Duration.between(clock.instant(), next).toMillis() + 1);
        }
        return Math.max(sleep, 5);
    }

    private void send(Delivery row, DeliveryLeases.Claim claim) {
        try {
            attempts.deliver(row, claim);
        } catch (RuntimeException e) {
            // the outcome could not be written (e.g. the database is away): the lease runs out and the row is retried
            LOG.warnf("delivering notification %s failed: %s", row.id(), Mask.phonesIn(e.toString()));
        } finally {
            free.release();
            loop.wake(); // a free sender, and the row's outcome may have unblocked a later row of its ticket
        }
    }

    /** When a pass last found no send in flight (tests: every send started before then has returned). */
    public Instant lastIdle() {
        return lastIdle;
    }

    public boolean running() {
        return !config.delivery().enabled() || loop.running();
    }

    public Instant lastPass() {
        return lastPass;
    }
}

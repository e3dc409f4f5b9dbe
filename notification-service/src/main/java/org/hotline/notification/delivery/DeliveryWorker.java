package org.hotline.notification.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.hotline.notification.config.NotificationConfig;
import org.hotline.notification.model.Channel;
import org.hotline.notification.model.DeliveryStatus;
import org.hotline.notification.model.Notification;
import org.hotline.notification.service.NotificationsWritten;
import org.hotline.backbone.security.Mask;
import org.hotline.backbone.worker.WakeableLoop;
import org.jboss.logging.Logger;

import io.quarkus.arc.All;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

/**
 * The durable delivery worker: one loop that claims due rows ({@code FOR UPDATE SKIP LOCKED}, so
 * replicas share the work without sending a row twice), leases them, sends them through their
 * channel's circuit breaker on a small pool, and records each outcome: SENT, RETRYING with
 * exponential backoff and jitter, or DEAD after the last attempt.
 *
 * <p>Restart safety: a claim moves the row's next attempt a lease ahead and commits before the
 * call; a worker that dies mid-send leaves the row to be claimed again when the lease runs out. No
 * transaction is open during a network call.
 *
 * <p>No double send across replicas: a claim takes at most {@code concurrency} rows, so none waits
 * in this worker for a free sender; right before its call each row's lease is renewed, and the
 * lease must outlast one call (connect + read timeout, checked at start). Fencing covers what is
 * left (a stalled JVM, a clock jump): each claim writes a fresh {@code claim_token}; the renewal
 * and every outcome update only touch the row while it still carries this claim's token, so a row
 * another replica has re-claimed is neither sent nor recorded by this one.
 *
 * <p>Order: a row is not claimed while an earlier row (lower seq) for the same ticket, recipient
 * and channel is still PENDING or RETRYING, so one recipient gets a ticket's messages on one
 * channel in the order the events were consumed. A DEAD row no longer holds back the later ones.
 */
@ApplicationScoped
public class DeliveryWorker {

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);
    private static final int MAX_ERROR = 1000;
    /** Lease headroom over one call: the claim commit, the renewal and scheduling before the call. */
    static final Duration LEASE_MARGIN = Duration.ofSeconds(5);

    private final EntityManager em;
    private final NotificationConfig config;
    private final Clock clock;
    private final ChannelBreakers breakers;
    private final DeliveryMetrics metrics;
    private final Map<Channel, ChannelSender> senders = new EnumMap<>(Channel.class);
    private final WakeableLoop loop = new WakeableLoop("notification-delivery");
    private ExecutorService pool;
    private volatile Instant lastPass;
    /** Test hook: runs with the row id between the claim and the send's fenced lease renewal. */
    private volatile Consumer<UUID> beforeSend;

    /** A claim: its fencing token and the rows it took. */
    record Claim(UUID token, List<UUID> ids) {
    }

    public DeliveryWorker(EntityManager em, NotificationConfig config, Clock clock, ChannelBreakers breakers,
            DeliveryMetrics metrics, @All List<ChannelSender> senders) {
        this.em = em;
        this.config = config;
        this.clock = clock;
        this.breakers = breakers;
        this.metrics = metrics;
        senders.forEach(s -> this.senders.put(s.channel(), s));
    }

    void start(@Observes StartupEvent ev) {
        if (!config.delivery().enabled()) {
            LOG.warn("delivery worker disabled (notification.delivery.enabled=false): rows stay PENDING");
            return;
        }
        checkLease();
        AtomicInteger n = new AtomicInteger();
        pool = Executors.newFixedThreadPool(config.delivery().concurrency(), r -> {
            Thread t = new Thread(r, "notification-send-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        loop.start(new WakeableLoop.Step() {
            @Override
            public long run() throws InterruptedException {
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

    /**
     * The lease must outlast one send (it is renewed right before each call), else another replica
     * could re-claim a row while its call is still running.
     */
    void checkLease() {
        Duration longestCall = max(config.sms().connectTimeout().plus(config.sms().timeout()),
                config.webhook().connectTimeout().plus(config.webhook().timeout()));
        Duration needed = longestCall.plus(LEASE_MARGIN);
        if (config.delivery().lease().compareTo(needed) < 0) {
            throw new IllegalStateException("notification.delivery.lease=" + config.delivery().lease()
                    + " is shorter than the longest send (connect + read timeout " + longestCall + ") plus "
                    + LEASE_MARGIN + ": raise the lease or lower the timeouts");
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** For tests: {@code hook} sees each claimed row id just before its fenced lease renewal; null removes it. */
    public void beforeSend(Consumer<UUID> hook) {
        this.beforeSend = hook;
    }

    /** New rows committed: look at once instead of at the next poll. */
    void onWritten(@Observes(during = TransactionPhase.AFTER_SUCCESS) NotificationsWritten written) {
        loop.wake();
    }

    void stop(@Observes ShutdownEvent ev) {
        loop.stop(Duration.ofSeconds(10));
        if (pool != null) {
            pool.shutdown();
        }
    }

    /** One pass: claim a batch, send it, record outcomes. Returns how long to sleep. */
    long pass() throws InterruptedException {
        List<String> channels = new ArrayList<>();
        for (Channel c : Channel.values()) {
            if (breakers.callable(c)) {
                channels.add(c.name());
            }
        }
        Instant now = clock.instant();
        Claim claimed = channels.isEmpty() ? new Claim(null, List.of()) : claim(now, channels);
        if (!claimed.ids().isEmpty()) {
            List<Callable<Void>> sends = new ArrayList<>();
            for (UUID id : claimed.ids()) {
                sends.add(() -> {
                    deliver(id, claimed.token());
                    return null;
                });
            }
            pool.invokeAll(sends);
            return 0; // outcomes may have unblocked later rows of the same tickets: look again
        }
        long sleep = config.delivery().pollInterval().toMillis();
        Instant next = QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                "select min(n.nextAttemptAt) from Notification n where n.status in :open and n.nextAttemptAt > :now",
                Instant.class).setParameter("open", List.of(DeliveryStatus.PENDING, DeliveryStatus.RETRYING))
                .setParameter("now", now).getSingleResult());
        if (next != null) {
            sleep = Math.min(sleep, Duration.between(clock.instant(), next).toMillis() + 1);
        }
        return Math.max(sleep, 5);
    }

    /**
     * Claims at most {@code min(batch-size, concurrency)} due rows, so every claimed row has a sender
     * at once and none sits leased while others are sent.
     */
    @SuppressWarnings("unchecked")
    Claim claim(Instant now, List<String> channels) {
        UUID token = UUID.randomUUID();
        int limit = Math.max(1, Math.min(config.delivery().batchSize(), config.delivery().concurrency()));
        List<UUID> claimed = QuarkusTransaction.requiringNew().call(() -> {
            List<UUID> ids = em.createNativeQuery("""
                    select n.id from notification n
                     where n.status in ('PENDING', 'RETRYING') and n.next_attempt_at <= :now and n.channel in (:channels)
                       and not exists (select 1 from notification e
                                        where e.ticket_id = n.ticket_id and e.recipient = n.recipient
                                          and e.channel = n.channel and e.status in ('PENDING', 'RETRYING')
                                          and e.seq < n.seq)
                     order by n.next_attempt_at, n.seq
                     limit :batch
                     for update of n skip locked""")
                    .setParameter("now", now).setParameter("channels", channels)
                    .setParameter("batch", limit).getResultList();
            if (!ids.isEmpty()) {
                em.createQuery("update Notification n set n.nextAttemptAt = :lease, n.claimToken = :token where n.id in :ids")
                        .setParameter("lease", now.plus(config.delivery().lease())).setParameter("token", token)
                        .setParameter("ids", ids).executeUpdate();
            }
            return ids;
        });
        return new Claim(token, claimed);
    }

    /**
     * Sends one claimed row and records the outcome, provided the row is still this claim's: the
     * lease renewal right before the call matches no row once another worker re-claimed it.
     */
    void deliver(UUID id, UUID token) {
        Consumer<UUID> hook = beforeSend;
        if (hook != null) {
            hook.accept(id);
        }
        Delivery d = QuarkusTransaction.requiringNew().call(() -> {
            int renewed = em.createQuery("""
                    update Notification n set n.nextAttemptAt = :lease
                     where n.id = :id and n.claimToken = :token and n.status in :open""")
                    .setParameter("lease", clock.instant().plus(config.delivery().lease())).setParameter("id", id)
                    .setParameter("token", token)
                    .setParameter("open", List.of(DeliveryStatus.PENDING, DeliveryStatus.RETRYING)).executeUpdate();
            if (renewed == 0) {
                return null; // sent, dead, or re-claimed by another worker: not ours to send
            }
            return Delivery.of(Notification.findById(id));
        });
        if (d == null) {
            LOG.debugf("notification %s no longer held by claim %s: not sent", id, token);
            return;
        }
        ChannelSender sender = senders.get(d.channel());
        Instant attemptAt = clock.instant();
        try {
            breakers.send(sender, d);
            succeeded(d, token, attemptAt);
        } catch (CircuitBreakerOpenException e) {
            deferred(d, token);
        } catch (PermanentDeliveryException e) {
            failed(d, token, attemptAt, e.getMessage(), true);
        } catch (DeliveryException e) {
            failed(d, token, attemptAt, e.getMessage(), false);
        } catch (Exception e) {
            LOG.warnf("sending notification %s on %s failed unexpectedly: %s", d.id(), d.channel(), Mask.phonesIn(e.toString()));
            failed(d, token, attemptAt, e.toString(), false);
        }
    }

    /** The row is open and still held by this claim; otherwise the outcome belongs to another worker and is dropped. */
    private static boolean ours(Notification n, UUID token) {
        return (n.status == DeliveryStatus.PENDING || n.status == DeliveryStatus.RETRYING) && token.equals(n.claimToken);
    }

    private void succeeded(Delivery d, UUID token, Instant attemptAt) {
        Instant sentAt = clock.instant();
        boolean recorded = QuarkusTransaction.requiringNew().call(() -> {
            Notification n = em.find(Notification.class, d.id(), LockModeType.PESSIMISTIC_WRITE);
            if (!ours(n, token)) {
                return false;
            }
            n.status = DeliveryStatus.SENT;
            n.attempts++;
            n.lastAttemptAt = attemptAt;
            n.sentAt = sentAt;
            n.nextAttemptAt = null;
            return true;
        });
        if (recorded) {
            metrics.sent(d.channel(), d.eventType(), Duration.between(d.eventTime(), sentAt));
        }
    }

    /** The breaker is open: no attempt was made, so none is counted; try again once it lets a call through. */
    private void deferred(Delivery d, UUID token) {
        Instant retryAt = clock.instant().plus(Duration.ofMillis(Math.max(50, config.breaker().delay().toMillis() / 4)));
        QuarkusTransaction.requiringNew().run(() -> {
            Notification n = em.find(Notification.class, d.id(), LockModeType.PESSIMISTIC_WRITE);
            if (ours(n, token)) {
                n.nextAttemptAt = retryAt;
                n.lastError = "circuit breaker of " + d.channel() + " open: not attempted";
            }
        });
    }

    private void failed(Delivery d, UUID token, Instant attemptAt, String error, boolean permanent) {
        Instant now = clock.instant();
        DeliveryStatus outcome = QuarkusTransaction.requiringNew().call(() -> {
            Notification n = em.find(Notification.class, d.id(), LockModeType.PESSIMISTIC_WRITE);
            if (!ours(n, token)) {
                return null;
            }
            n.attempts++;
            n.lastAttemptAt = attemptAt;
            n.lastError = error == null ? "failed" : error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error;
            if (permanent || n.attempts >= config.delivery().maxAttempts()) {
                n.status = DeliveryStatus.DEAD;
                n.nextAttemptAt = null;
            } else {
                n.status = DeliveryStatus.RETRYING;
                n.nextAttemptAt = now.plus(backoff(n.attempts));
            }
            return n.status;
        });
        if (outcome == null) {
            return;
        }
        metrics.failed(d.channel(), d.eventType());
        if (outcome == DeliveryStatus.DEAD) {
            metrics.dead(d.channel(), d.eventType());
            // a provider's error often echoes the number it refused: logs get it masked
            LOG.warnf("notification %s (%s, %s) is DEAD after %d attempt(s): %s", d.id(), d.eventType(), d.channel(),
                    d.attempts() + 1, Mask.phonesIn(error));
        } else {
            metrics.retried(d.channel(), d.eventType());
        }
    }

    /**
     * Delay before the attempt after {@code attempts} failures: exponential (base * 2^(attempts-1),
     * capped at max-delay) with "equal jitter": half of it fixed, half random, so retries of many
     * rows that failed together spread out while each still waits at least half its step.
     */
    Duration backoff(int attempts) {
        long base = config.delivery().baseDelay().toMillis();
        long max = config.delivery().maxDelay().toMillis();
        long step = attempts >= 31 ? max : Math.min(max, base << Math.max(0, attempts - 1));
        long half = step / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }

    public boolean running() {
        return !config.delivery().enabled() || loop.running();
    }

    public Instant lastPass() {
        return lastPass;
    }
}

package org.hotline.notification.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.hotline.backbone.security.Mask;
import org.hotline.notification.config.NotificationConfig;
import org.hotline.notification.model.Channel;
import org.hotline.notification.model.DeliveryStatus;
import org.hotline.notification.repository.NotificationRepository;
import org.jboss.logging.Logger;

import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * One attempt to send a claimed row, and its outcome: through the channel's circuit breaker, then
 * SENT; RETRYING with exponential backoff and jitter; DEAD after the last attempt or a refusal for
 * good; or, while the breaker is open, not attempted and deferred. Each outcome is written only while
 * the row is still this claim's (fencing, see {@link DeliveryLeases}) and counted after its commit.
 * No transaction is open during the call.
 */
@ApplicationScoped
public class DeliveryAttempts {

    private static final Logger LOG = Logger.getLogger(DeliveryAttempts.class);
    private static final int MAX_ERROR = 1000;

    private final NotificationRepository notifications;
    private final DeliveryLeases leases;
    private final NotificationConfig config;
    private final Clock clock;
    private final ChannelBreakers breakers;
    private final DeliveryMetrics metrics;
    private final Map<Channel, ChannelSender> senders = new EnumMap<>(Channel.class);
    /** Test hook: runs with the row id between the claim and the check of its lease before the call. */
    private volatile Consumer<UUID> beforeSend;

    public DeliveryAttempts(NotificationRepository notifications, DeliveryLeases leases, NotificationConfig config,
            Clock clock, ChannelBreakers breakers, DeliveryMetrics metrics, @All List<ChannelSender> senders) {
        this.notifications = notifications;
        this.leases = leases;
        this.config = config;
        this.clock = clock;
        this.breakers = breakers;
        this.metrics = metrics;
        senders.forEach(s -> this.senders.put(s.channel(), s));
    }

    /** For tests: {@code hook} sees each claimed row id just before its lease is checked for the call; null removes it. */
    public void beforeSend(Consumer<UUID> hook) {
        this.beforeSend = hook;
    }

    /**
     * Sends one claimed row and records the outcome, provided the row is still this claim's: a
     * call starts only under a lease that covers it, and a renewal matches no row once another
     * worker re-claimed it.
     */
    void deliver(Delivery claimed, DeliveryLeases.Claim claim) {
        UUID token = claim.token();
        Consumer<UUID> hook = beforeSend;
        if (hook != null) {
            hook.accept(claimed.id());
        }
        Delivery d = leases.beforeCall(claimed, claim);
        if (d == null) {
            LOG.debugf("notification %s no longer held by claim %s: not sent", claimed.id(), token);
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

    private void succeeded(Delivery d, UUID token, Instant attemptAt) {
        Instant sentAt = clock.instant();
        if (notifications.recordSent(d.id(), token, d.attempts() + 1, attemptAt, sentAt)) {
            metrics.sent(d.channel(), d.eventType(), Duration.between(d.eventTime(), sentAt));
        }
    }

    /** The breaker is open: no attempt was made, so none is counted; try again once it lets a call through. */
    private void deferred(Delivery d, UUID token) {
        Instant retryAt = clock.instant().plus(Duration.ofMillis(Math.max(50, config.breaker().delay().toMillis() / 4)));
        notifications.defer(d.id(), token, retryAt, "circuit breaker of " + d.channel() + " open: not attempted");
    }

    /**
     * DEAD or RETRYING, decided on the attempts the renewal read: the row cannot have changed since,
     * as every writer of a claimed row needs its token.
     */
    private void failed(Delivery d, UUID token, Instant attemptAt, String error, boolean permanent) {
        int attempts = d.attempts() + 1;
        boolean dead = permanent || attempts >= config.delivery().maxAttempts();
        String lastError = error == null ? "failed" : error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error;
        Instant next = dead ? null : clock.instant().plus(backoff(attempts));
        if (!notifications.recordFailed(d.id(), token, dead ? DeliveryStatus.DEAD : DeliveryStatus.RETRYING, attempts,
                attemptAt, lastError, next)) {
            return; // no longer this claim's: the outcome belongs to another worker
        }
        metrics.failed(d.channel(), d.eventType());
        if (dead) {
            metrics.dead(d.channel(), d.eventType());
            // a provider's error often echoes the number it refused: logs get it masked
            LOG.warnf("notification %s (%s, %s) is DEAD after %d attempt(s): %s", d.id(), d.eventType(), d.channel(),
                    attempts, Mask.phonesIn(error));
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
}

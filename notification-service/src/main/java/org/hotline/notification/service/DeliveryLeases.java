package org.hotline.notification.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.hotline.notification.config.NotificationConfig;
import org.hotline.notification.model.Notification;
import org.hotline.notification.repository.NotificationRepository;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Who may send a row, and until when. A claim takes due rows ({@code FOR UPDATE SKIP LOCKED}, so
 * replicas share the work without sending a row twice), moves their next attempt a lease ahead,
 * writes a fresh {@code claim_token} and returns what to send, and commits before any call (one
 * statement); a worker that dies mid-send leaves its rows to be claimed again when the lease runs out.
 *
 * <p>Fencing: a call starts only while the row's lease still covers the whole call (connect and
 * read timeout) with {@link #MARGIN} to spare, so no other replica can re-claim the row before the
 * call has ended. With the default lease it does right after a claim, and the row is sent on the
 * claim's own read; a row that waited longer (a stalled JVM; measured on the monotonic clock, so a
 * step of the service's clock cannot hide it) is renewed first, only while it still carries this claim's token,
 * and a row another replica has re-claimed meanwhile is neither sent nor recorded by this one
 * ({@link DeliveryAttempts} writes each outcome with the same guard). While the token is ours nobody
 * else writes the row, so what the claim or the renewal read is what the outcome is decided on.
 */
@ApplicationScoped
public class DeliveryLeases {

    /** Lease headroom over one call: scheduling before it and the outcome's write after it. */
    static final Duration MARGIN = Duration.ofSeconds(5);

    /**
     * A claim: its fencing token, the rows it took (what to send), when their lease ends, and when
     * it was made on this JVM's monotonic clock ({@link System#nanoTime}, which no clock step moves).
     */
    public record Claim(UUID token, List<Delivery> rows, Instant leasedUntil, long claimedAtNanos) {

        static final Claim NONE = new Claim(null, List.of(), null, 0);
    }

    private final NotificationRepository notifications;
    private final NotificationConfig config;
    private final Clock clock;
    private final Duration longestCall;

    public DeliveryLeases(NotificationRepository notifications, NotificationConfig config, Clock clock) {
        this.notifications = notifications;
        this.config = config;
        this.clock = clock;
        this.longestCall = max(config.sms().connectTimeout().plus(config.sms().timeout()),
                config.webhook().connectTimeout().plus(config.webhook().timeout()));
    }

    /**
     * The lease must outlast one send with {@link #MARGIN} to spare, else another replica could
     * re-claim a row while its call is still running.
     */
    void checkLease() {
        Duration needed = longestCall.plus(MARGIN);
        if (config.delivery().lease().compareTo(needed) < 0) {
            throw new IllegalStateException("notification.delivery.lease=" + config.delivery().lease()
                    + " is shorter than the longest send (connect + read timeout " + longestCall + ") plus "
                    + MARGIN + ": raise the lease or lower the timeouts");
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /**
     * Claims at most {@code limit} due rows of these channels; the worker passes the number of its
     * free senders (at most batch-size), so every claimed row has a sender at once and none sits
     * leased waiting for one.
     */
    Claim claim(Instant now, List<String> channels, int limit) {
        long claimedAt = System.nanoTime();
        UUID token = UUID.randomUUID();
        Instant until = now.plus(config.delivery().lease());
        List<Notification> rows = notifications.claim(now, channels, limit, token, until);
        return rows.isEmpty() ? Claim.NONE
                : new Claim(token, rows.stream().map(Delivery::of).toList(), until, claimedAt);
    }

    /**
     * What to send for a claimed row right before its call: the claim's own read while its lease
     * still covers the call, else the row as a fenced renewal finds it; null when the row is no
     * longer this claim's (sent, dead, or re-claimed by another worker). The lease must cover it
     * both by the time elapsed since the claim on the monotonic clock (a step back of the service's
     * clock cannot hide a stall) and by the service's clock (a step forward renews, which is safe).
     */
    Delivery beforeCall(Delivery claimed, Claim claim) {
        Instant now = clock.instant();
        Duration headroom = longestCall.plus(MARGIN);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - claim.claimedAtNanos());
        if (elapsed.plus(headroom).compareTo(config.delivery().lease()) <= 0
                && !now.plus(headroom).isAfter(claim.leasedUntil())) {
            return claimed;
        }
        Notification n = notifications.renew(claimed.id(), claim.token(), now.plus(config.delivery().lease()));
        return n == null ? null : Delivery.of(n);
    }

    /** When the next open row falls due after {@code now}; null when none waits. */
    Instant nextAttemptAfter(Instant now) {
        return notifications.nextAttemptAfter(now);
    }
}

package org.hotline.notification.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.hotline.notification.config.NotificationConfig;
import org.hotline.notification.model.Notification;
import org.hotline.notification.repository.NotificationRepository;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Who may send a row, and until when. A claim takes due rows ({@code FOR UPDATE SKIP LOCKED}, so
 * replicas share the work without sending a row twice), moves their next attempt a lease ahead and
 * writes a fresh {@code claim_token}, and commits before any call (one statement); a worker that
 * dies mid-send leaves its rows to be claimed again when the lease runs out.
 *
 * <p>Fencing: right before its call each row's lease is renewed, only while the row still carries
 * this claim's token; a row another replica has re-claimed (a stalled JVM, a clock jump) is
 * neither sent nor recorded by this one ({@link DeliveryAttempts} writes each outcome with the same
 * guard). The renewal also returns what to send: while the token is ours nobody else writes the
 * row, so what it read is what the outcome is decided on.
 */
@ApplicationScoped
public class DeliveryLeases {

    /** A claim: its fencing token and the rows it took. */
    public record Claim(UUID token, List<UUID> ids) {

        static final Claim NONE = new Claim(null, List.of());
    }

    private final NotificationRepository notifications;
    private final NotificationConfig config;
    private final Clock clock;

    public DeliveryLeases(NotificationRepository notifications, NotificationConfig config, Clock clock) {
        this.notifications = notifications;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Claims at most {@code limit} due rows of these channels; the worker passes the number of its
     * free senders (at most batch-size), so every claimed row has a sender at once and none sits
     * leased waiting for one.
     */
    Claim claim(Instant now, List<String> channels, int limit) {
        UUID token = UUID.randomUUID();
        List<UUID> ids = notifications.claim(now, channels, limit, token, now.plus(config.delivery().lease()));
        return ids.isEmpty() ? Claim.NONE : new Claim(token, ids);
    }

    /** Renews the row's lease for its call; what to send, or null when the row is no longer this claim's. */
    Delivery renew(UUID id, UUID token) {
        Notification n = notifications.renew(id, token, clock.instant().plus(config.delivery().lease()));
        return n == null ? null : Delivery.of(n); // null: sent, dead, or re-claimed by another worker
    }

    /** When the next open row falls due after {@code now}; null when none waits. */
    Instant nextAttemptAfter(Instant now) {
        return notifications.nextAttemptAfter(now);
    }
}

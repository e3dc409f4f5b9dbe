package org.hotline.notification.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.hotline.notification.config.NotificationConfig;
import org.hotline.notification.repository.NotificationRepository;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Who may send a row, and until when. A claim takes due rows ({@code FOR UPDATE SKIP LOCKED}, so
 * replicas share the work without sending a row twice), moves their next attempt a lease ahead and
 * writes a fresh {@code claim_token}, and commits before any call; a worker that dies mid-send
 * leaves its rows to be claimed again when the lease runs out.
 *
 * <p>Fencing: right before its call each row's lease is renewed, only while the row still carries
 * this claim's token; a row another replica has re-claimed (a stalled JVM, a clock jump) is
 * neither sent nor recorded by this one ({@link DeliveryAttempts} checks the token again with each
 * outcome).
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
     * Claims at most {@code min(batch-size, concurrency)} due rows of these channels, so every
     * claimed row has a sender at once and none sits leased while others are sent.
     */
    Claim claim(Instant now, List<String> channels) {
        UUID token = UUID.randomUUID();
        int limit = Math.max(1, Math.min(config.delivery().batchSize(), config.delivery().concurrency()));
        List<UUID> claimed = QuarkusTransaction.requiringNew().call(() -> {
            List<UUID> ids = notifications.lockDue(now, channels, limit);
            if (!ids.isEmpty()) {
                notifications.lease(ids, token, now.plus(config.delivery().lease()));
            }
            return ids;
        });
        return new Claim(token, claimed);
    }

    /** Renews the row's lease for its call; what to send, or null when the row is no longer this claim's. */
    Delivery renew(UUID id, UUID token) {
        return QuarkusTransaction.requiringNew().call(() -> {
            if (!notifications.renewLease(id, token, clock.instant().plus(config.delivery().lease()))) {
                return null; // sent, dead, or re-claimed by another worker: not ours to send
            }
            return Delivery.of(notifications.findById(id));
        });
    }

    /** When the next open row falls due after {@code now}; null when none waits. */
    Instant nextAttemptAfter(Instant now) {
        return QuarkusTransaction.requiringNew().call(() -> notifications.nextAttemptAfter(now));
    }
}

package org.hotline.backbone.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.hotline.backbone.config.BackboneConfig;
import org.hotline.backbone.outbox.OutboxRelay;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Ready only while the outbox drains: a relay that cannot reach Kafka or keeps failing shows here
 * with how old the oldest waiting event is. (Database and broker connectivity have their own
 * checks from the Agroal and Kafka extensions.)
 */
@Readiness
@ApplicationScoped
public class OutboxHealthCheck implements HealthCheck {

    private final OutboxRelay relay;
    private final BackboneConfig config;
    private final Clock clock;

    public OutboxHealthCheck(OutboxRelay relay, BackboneConfig config, Clock clock) {
        this.relay = relay;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("outbox-relay");
        boolean enabled = config.outbox().relayEnabled();
        b.withData("enabled", enabled);
        Instant oldest = relay.oldestUnpublished();
        Duration waiting = oldest == null ? Duration.ZERO : Duration.between(oldest, clock.instant());
        b.withData("oldestWaitingSeconds", waiting.toSeconds());
        if (relay.lastError() != null) {
            b.withData("lastError", relay.lastError());
        }
        boolean up = !enabled || (relay.running() && waiting.compareTo(config.outbox().maxLag()) <= 0);
        return b.status(up).build();
    }
}

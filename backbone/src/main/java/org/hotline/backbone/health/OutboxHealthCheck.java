package org.hotline.backbone.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.hotline.backbone.config.BackboneConfig;
import org.hotline.backbone.outbox.OutboxRelay;

import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Whether the outbox drains: a relay that cannot reach Kafka or keeps failing shows here with how
 * old the oldest waiting event is and the last error. A wellness check (/q/health/well), not
 * readiness: while Kafka is away the services keep serving and committing to the outbox, which
 * holds the events until it is back; taking every replica out of rotation would turn a delay of
 * events into an outage of the hotline. Alert on {@code hotline_outbox_oldest_waiting_seconds}.
 */
@Wellness
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

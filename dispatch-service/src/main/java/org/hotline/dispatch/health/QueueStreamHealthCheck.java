package org.hotline.dispatch.health;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.hotline.dispatch.service.QueueBroadcaster;

import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Wellness (not readiness: the API serves without it): whether this replica's live queue stream
 * reads the topics, so its screens see every replica's changes. Down while Kafka is away.
 */
@Wellness
@ApplicationScoped
public class QueueStreamHealthCheck implements HealthCheck {

    private final QueueBroadcaster broadcaster;

    public QueueStreamHealthCheck(QueueBroadcaster broadcaster) {
        this.broadcaster = broadcaster;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("queue-stream-feed").status(broadcaster.live()).build();
    }
}

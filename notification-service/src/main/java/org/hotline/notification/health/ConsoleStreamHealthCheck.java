package org.hotline.notification.health;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.hotline.notification.service.ConsoleHub;

import io.smallrye.health.api.Wellness;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Wellness (not readiness): whether this replica's console stream reads the topics, so its screens
 * see the console notifications every replica makes. Down while Kafka is away.
 */
@Wellness
@ApplicationScoped
public class ConsoleStreamHealthCheck implements HealthCheck {

    private final ConsoleHub hub;

    public ConsoleStreamHealthCheck(ConsoleHub hub) {
        this.hub = hub;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("console-stream-feed").status(hub.live()).build();
    }
}

package org.hotline.notification.service;

import java.time.Duration;

import org.hotline.notification.model.Channel;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Delivery numbers by channel and event type: sent, failed (each failed attempt), retried (each
 * retry scheduled), dead; and the latency from the event's time to delivery. Counted after the
 * outcome was committed.
 */
@ApplicationScoped
public class DeliveryMetrics {

    private final MeterRegistry registry;

    public DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void sent(Channel c, String type, Duration latency) {
        counter("notification.sent", "Notifications delivered", c, type).increment();
        Timer.builder("notification.delivery.latency").description("From the event's time to delivery")
                .tags("channel", c.name(), "event_type", type).publishPercentileHistogram()
                .register(registry).record(latency.isNegative() ? Duration.ZERO : latency);
    }

    void failed(Channel c, String type) {
        counter("notification.failed", "Delivery attempts that failed", c, type).increment();
    }

    void retried(Channel c, String type) {
        counter("notification.retried", "Retries scheduled after a failed attempt", c, type).increment();
    }

    void dead(Channel c, String type) {
        counter("notification.dead", "Notifications given up on (status DEAD)", c, type).increment();
    }

    private Counter counter(String name, String description, Channel c, String type) {
        return Counter.builder(name).description(description).tags("channel", c.name(), "event_type", type)
                .register(registry);
    }
}

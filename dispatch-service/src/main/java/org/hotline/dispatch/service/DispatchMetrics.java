package org.hotline.dispatch.service;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;


import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The command room's numbers (Prometheus /q/metrics). Counters are incremented in the transaction
 * that made the change; a rolled-back change may still count (documented limit).
 */
@ApplicationScoped
public class DispatchMetrics {

    private final MeterRegistry registry;
    /** Per unit and type: the gauge's value, set in place by each refresh. */
    private final Map<List<String>, OpenGauge> openPerUnit = new ConcurrentHashMap<>();

    private record OpenGauge(AtomicLong value, Gauge gauge) {
    }

    public DispatchMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** An assignment was made. */
    public void dispatched(String unitType, String category, String reason, String role) {
        registry.counter("hotline.dispatch.assignments", "unitType", unitType, "category", category, "reason",
                reason, "role", role).increment();
    }

    /** A dispatcher's choice of lead: the top recommendation (accepted) or another unit (overridden). */
    public void recommendation(boolean accepted) {
        registry.counter("hotline.dispatch.recommendations", "outcome", accepted ? "accepted" : "overridden")
                .increment();
    }

    public void returned(String reasonCode) {
        registry.counter("hotline.dispatch.returns", "reason", reasonCode).increment();
    }

    public void ackLapsed(String unitType) {
        registry.counter("hotline.dispatch.ack.lapses", "unitType", unitType).increment();
    }

    /**
     * Refreshed by the ack worker's loop from the database, so every replica reports the same truth.
     * One grouped scan of the open assignments, and the gauges' values are set in place: a count
     * per unit (a correlated subquery, 0.6 s for 10,000 units of which PostgreSQL spent 0.2 s
     * JIT-compiling it) and re-registering every gauge each time (MultiGauge with overwrite) ran
     * every 5 s next to the console's requests.
     */
    public void refreshOpen(List<Object[]> rows) {
        Set<List<String>> seen = new HashSet<>(rows.size() * 2);
        for (Object[] r : rows) {
            List<String> key = List.of((String) r[0], (String) r[1]);
            seen.add(key);
            openPerUnit.computeIfAbsent(key, k -> {
                AtomicLong value = new AtomicLong();
                return new OpenGauge(value, Gauge.builder("hotline.dispatch.assignments.open", value, AtomicLong::get)
                        .description("Open assignments (offered, acknowledged, on scene) per unit")
                        .tags("unit", k.get(0), "unitType", k.get(1)).strongReference(true).register(registry));
            }).value().set(((Number) r[2]).longValue());
        }
        // a unit whose type changed: its series under the old type goes
        openPerUnit.entrySet().removeIf(e -> {
            if (seen.contains(e.getKey())) {
                return false;
            }
            registry.remove(e.getValue().gauge());
            return true;
        });
    }
}

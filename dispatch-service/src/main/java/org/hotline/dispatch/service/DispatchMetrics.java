package org.hotline.dispatch.service;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * The command room's numbers (Prometheus /q/metrics). Counters are incremented in the transaction
 * that made the change; a rolled-back change may still count (documented limit).
 */
@ApplicationScoped
public class DispatchMetrics {

    private final MeterRegistry registry;
    private final MultiGauge openPerUnit;

    public DispatchMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.openPerUnit = MultiGauge.builder("hotline.dispatch.assignments.open")
                .description("Open assignments (offered, acknowledged, on scene) per unit").register(registry);
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

    /** Refreshed by the ack worker's loop from the database, so every replica reports the same truth. */
    public void refreshOpen(EntityManager em) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (Object[] r : em.createQuery("select u.id, u.type, (select count(a) from Assignment a where a.unitId = u.id"
                + " and a.status in (org.hotline.dispatch.model.AssignmentStatus.OFFERED,"
                + " org.hotline.dispatch.model.AssignmentStatus.ACKNOWLEDGED,"
                + " org.hotline.dispatch.model.AssignmentStatus.ON_SCENE)) from Unit u", Object[].class)
                .getResultList()) {
            rows.add(MultiGauge.Row.of(Tags.of("unit", (String) r[0], "unitType", r[1].toString()),
                    ((Number) r[2]).doubleValue()));
        }
        openPerUnit.register(rows, true);
    }
}

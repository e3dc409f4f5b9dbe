package org.hotline.sla.service;

import java.time.Duration;

import org.hotline.sla.model.Outcome;
import org.hotline.sla.model.StageClock;
import org.hotline.sla.model.StageName;
import org.hotline.sla.model.TimerKind;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * The SLA numbers a dashboard charts. Outcomes are counted at the single place where a stage's
 * outcome is decided, so the on-time rate from these counters equals the recount from the
 * database's {@code stage_clock.outcome}.
 */
@ApplicationScoped
public class SlaMetrics {

    private final MeterRegistry registry;

    public SlaMetrics(MeterRegistry registry, EntityManager em) {
        this.registry = registry;
        for (StageName stage : StageName.values()) {
            Gauge.builder("sla.clocks.open", () -> QuarkusTransaction.requiringNew().call(() -> em
                    .createQuery("select count(c) from StageClock c where c.stage = :s and c.state in "
                            + "(org.hotline.sla.model.ClockState.RUNNING, org.hotline.sla.model.ClockState.BREACHED)",
                            Long.class)
                    .setParameter("s", stage).getSingleResult()))
                    .description("Stage clocks running or breached and not yet met").tag("stage", stage.name())
                    .register(registry);
        }
    }

    void outcome(StageClock c, Outcome outcome) {
        Counter.builder("sla.stage.outcome").description("Stages decided: met on time, or breached")
                .tags("stage", c.stage.name(), "policy", c.policyCode, "street", c.street, "unit_type",
                        unitType(c), "outcome", outcome.name().toLowerCase())
                .register(registry).increment();
    }

    void duration(StageClock c, Duration took) {
        Timer.builder("sla.stage.duration").description("From a stage's anchor to the moment it was met")
                .tags("stage", c.stage.name(), "policy", c.policyCode, "street", c.street, "unit_type", unitType(c))
                .publishPercentileHistogram().register(registry).record(took);
    }

    void lateness(TimerKind kind, Duration late) {
        Timer.builder("sla.timer.lateness").description("How long after its due time a timer fired")
                .tag("kind", kind.name()).publishPercentileHistogram().register(registry).record(late);
    }

    void escalation(StageClock c, int level) {
        Counter.builder("sla.escalations").description("Escalation steps taken")
                .tags("stage", c.stage.name(), "level", String.valueOf(level), "street", c.street)
                .register(registry).increment();
    }

    private static String unitType(StageClock c) {
        return c.unitType == null ? "none" : c.unitType;
    }
}

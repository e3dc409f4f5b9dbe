package org.hotline.sla.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.hotline.sla.config.SlaConfig;
import org.hotline.sla.service.TimerEngine;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Alive while every engine thread turns: it has gone round recently (it wakes at least every idle
 * poll). A stuck thread (a pass hanging) turns this DOWN so the pod is restarted; a thread that
 * turns but whose passes fail (the database away, a poison timer before its quarantine) stays UP,
 * since a restart would not help: that shows in {@code lastPass} here and in
 * sla_engine_failures_total, which is alerted on.
 */
@Liveness
@ApplicationScoped
public class TimerEngineHealthCheck implements HealthCheck {

    private final TimerEngine engine;
    private final SlaConfig config;
    private final Clock clock;

    public TimerEngineHealthCheck(TimerEngine engine, SlaConfig config, Clock clock) {
        this.engine = engine;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public HealthCheckResponse call() {
        if (!config.engine().enabled()) {
            return HealthCheckResponse.named("sla-timer-engine").up().withData("enabled", false).build();
        }
        Instant last = engine.lastLoop();
        boolean recent = last != null
                && Duration.between(last, clock.instant()).compareTo(config.engine().idlePoll().multipliedBy(30)) < 0;
        return HealthCheckResponse.named("sla-timer-engine").status(engine.running() && recent)
                .withData("lastLoop", String.valueOf(last)).withData("lastPass", String.valueOf(engine.lastPass()))
                .build();
    }
}

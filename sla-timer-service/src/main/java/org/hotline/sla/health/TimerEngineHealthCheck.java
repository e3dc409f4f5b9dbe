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

/** Alive while the engine thread runs and has looped recently (it wakes at least every idle poll). */
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
                .withData("lastLoop", String.valueOf(last)).build();
    }
}

package org.hotline.backbone.config;

import java.time.Clock;
import java.time.Duration;

import org.hotline.backbone.time.DatabaseClock;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Time comes from an injected Clock so tests can move it (they replace this default bean). In a
 * service it is the database's clock ({@link DatabaseClock}, kept in step by ClockSync), so every
 * replica and every service agree on when a deadline passed.
 */
public class ClockProducer {
    @Produces
    @Singleton
    @DefaultBean
    Clock clock(BackboneConfig config) {
        // whole microseconds either way, as PostgreSQL keeps time (DatabaseClock#instant)
        return config.clock().source() == BackboneConfig.ClockSource.DATABASE ? new DatabaseClock(Clock.systemUTC())
                : Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
    }
}

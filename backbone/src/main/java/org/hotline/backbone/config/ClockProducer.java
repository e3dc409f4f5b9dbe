package org.hotline.backbone.config;

import java.time.Clock;

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
        return config.clock().source() == BackboneConfig.ClockSource.DATABASE ? new DatabaseClock(Clock.systemUTC())
                : Clock.systemUTC();
    }
}

package org.hotline.backbone.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import jakarta.inject.Singleton;

/**
 * The application's Clock in every service's tests (replaces backbone's default bean; the test-jar
 * is a bean archive for this one class): real time plus an offset a test may set or move, e.g. to a
 * Monday 02:00 in Asia/Shanghai, or past a deadline. Time keeps flowing, so workers' schedules stay
 * consistent. Tests that move it reset it afterwards.
 */
@Singleton
public class MovableClock extends Clock {

    private volatile Duration offset = Duration.ZERO;

    public void set(Instant now) {
        offset = Duration.between(Instant.now(), now);
    }

    /** Moves time forward (or back, with a negative amount) by {@code by}. */
    public void advance(Duration by) {
        offset = offset.plus(by);
    }

    public void reset() {
        offset = Duration.ZERO;
    }

    /** In whole microseconds, as the services' own clock (backbone's ClockProducer) and PostgreSQL keep time. */
    @Override
    public Instant instant() {
        return Instant.now().plus(offset).truncatedTo(ChronoUnit.MICROS);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }
}

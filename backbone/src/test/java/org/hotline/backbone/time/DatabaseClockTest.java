package org.hotline.backbone.time;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/** The services' clock keeps time as PostgreSQL does, so a stamp in memory equals the one read back. */
class DatabaseClockTest {

    @Test
    void itsInstantsAreWholeMicroseconds() {
        Clock host = Clock.fixed(Instant.parse("2026-12-07T07:41:27.974666864Z"), ZoneOffset.UTC);
        assertEquals(Instant.parse("2026-12-07T07:41:27.974666Z"), new DatabaseClock(host).instant());
    }
}

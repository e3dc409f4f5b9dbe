package org.hotline.backbone.time;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import javax.sql.DataSource;

/**
 * The system's one clock: the database server's. Every service reads its host clock corrected by
 * the offset to PostgreSQL's {@code clock_timestamp()}, measured by {@link #sync} (the best of a few
 * round trips; half the shortest round trip bounds the error). Replicas whose host clocks disagree
 * therefore claim timers and stamp stage ends on one time line, and no read of the hot path goes
 * to the database.
 */
public final class DatabaseClock extends Clock {

    private static final int SAMPLES = 3;

    private final Clock local;
    private volatile Duration offset = Duration.ZERO;
    private volatile Duration uncertainty;

    public DatabaseClock(Clock local) {
        this.local = local;
    }

    /**
     * In whole microseconds, as PostgreSQL keeps time: a stamp still in memory (what an action
     * answers with) then equals the same stamp read back from its row.
     */
    @Override
    public Instant instant() {
        return local.instant().plus(offset).truncatedTo(ChronoUnit.MICROS);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("instants only: zones are applied where a local time is shown");
    }

    /** Database time minus host time, as last measured (zero before the first measurement). */
    public Duration offset() {
        return offset;
    }

    /** Half the round trip of the last measurement: the most the offset can be wrong by; null before one. */
    public Duration uncertainty() {
        return uncertainty;
    }

    /** Measures the offset to the database's clock and applies it; returns it. */
    public Duration sync(DataSource dataSource) throws SQLException {
        Duration bestRoundTrip = null;
        Duration bestOffset = null;
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select clock_timestamp()")) {
            for (int i = 0; i < SAMPLES; i++) {
                Instant before = local.instant();
                Instant db;
                try (ResultSet r = ps.executeQuery()) {
                    r.next();
                    db = r.getObject(1, OffsetDateTime.class).toInstant();
                }
                Instant after = local.instant();
                Duration roundTrip = Duration.between(before, after);
                if (bestRoundTrip == null || roundTrip.compareTo(bestRoundTrip) < 0) {
                    bestRoundTrip = roundTrip;
                    bestOffset = Duration.between(before.plus(roundTrip.dividedBy(2)), db);
                }
            }
        }
        offset = bestOffset;
        uncertainty = bestRoundTrip.dividedBy(2);
        return bestOffset;
    }
}

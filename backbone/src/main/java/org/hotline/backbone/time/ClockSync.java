package org.hotline.backbone.time;

import java.time.Clock;
import java.time.Duration;

import org.hotline.backbone.config.BackboneConfig;
import org.hotline.backbone.worker.WakeableLoop;
import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Keeps the {@link DatabaseClock} in step with the database: measured at start and every
 * {@code hotline.clock.sync-interval}. The offset is a gauge ({@code hotline_clock_offset_seconds})
 * and a warning in the log when the host clock is off by more than {@code hotline.clock.warn-skew}:
 * the services stay right either way, but the host's NTP needs a look.
 */
@ApplicationScoped
public class ClockSync {

    private static final Logger LOG = Logger.getLogger(ClockSync.class);

    private final Clock clock;
    private final AgroalDataSource dataSource;
    private final BackboneConfig config;
    private final WakeableLoop loop = new WakeableLoop("clock-sync");

    public ClockSync(Clock clock, AgroalDataSource dataSource, BackboneConfig config, MeterRegistry registry) {
        this.clock = clock;
        this.dataSource = dataSource;
        this.config = config;
        if (clock instanceof DatabaseClock db) {
            Gauge.builder("hotline.clock.offset", db, c -> c.offset().toNanos() / 1e9)
                    .description("Database time minus this host's time, as corrected by the services' clock")
                    .baseUnit("seconds").register(registry);
        }
    }

    void start(@Observes StartupEvent ev) {
        if (!(clock instanceof DatabaseClock db)) {
            return; // tests replace the clock
        }
        long every = config.clock().syncInterval().toMillis();
        loop.start(new WakeableLoop.Step() {
            @Override
            public long run() {
                try {
                    Duration offset = db.sync(dataSource);
                    if (offset.abs().compareTo(config.clock().warnSkew()) > 0) {
                        LOG.warnf("this host's clock is %d ms %s the database's; the services use the database's",
                                offset.abs().toMillis(), offset.isNegative() ? "ahead of" : "behind");
                    }
                } catch (java.sql.SQLException e) {
                    LOG.debugf("clock sync deferred, database not reachable: %s", e.getMessage());
                    return Math.min(every, 1000);
                }
                return every;
            }
        });
    }

    void stop(@Observes ShutdownEvent ev) {
        loop.stop(Duration.ofSeconds(1));
    }
}

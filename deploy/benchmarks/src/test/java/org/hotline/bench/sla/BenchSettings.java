package org.hotline.bench.sla;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Everything the benchmark is parameterised with; the defaults are the numbers. A smoke
 * run can scale the counts down, e.g. {@code -Dbench.scale=0.05 -Dbench.doc=false}.
 */
final class BenchSettings {

    static final String OURS = "ours";
    static final String DB_SCHEDULER = "db-scheduler";
    static final String QUARTZ = "quartz";

    final double scale = Double.parseDouble(System.getProperty("bench.scale", "1"));
    /** (a) timers armed one transaction (ours: per ticket) or one call (the others) at a time. */
    final int armTimers = multipleOf20(scaled(Integer.getInteger("bench.arm", 20_000)));
    /** (b) timers all due at the same instant. */
    final int burstTimers = multipleOf4(scaled(Integer.getInteger("bench.burst", 100_000)));
    /** (c) timers pending far in the future while the measured set falls due. */
    final int pendingTimers = multipleOf20(scaled(Integer.getInteger("bench.pending", 1_000_000)));
    /** (c) timers whose lateness is measured, due evenly over {@link #measuredSpread}. */
    final int measuredTimers = multipleOf4(Integer.getInteger("bench.measured", 2_000));
    final Duration measuredSpread = Duration.ofSeconds(Integer.getInteger("bench.spreadSeconds", 20));

    /** Executor threads of db-scheduler and Quartz. */
    final int threads = 4;
    /** db-scheduler polling interval; Quartz idleWaitTime; our engine's idle poll (its default). */
    final Duration pollingInterval = Duration.ofSeconds(1);
    /** JDBC pool of db-scheduler and Quartz (HikariCP); the service keeps its own Agroal pool. */
    final int poolSize = 8;
    /** db-scheduler lock-and-fetch limits, fractions of the thread count (README: "high throughput"). */
    final double lockAndFetchLower = 1.0;
    final double lockAndFetchUpper = 4.0;
    /** Quartz: triggers acquired per scheduler-thread pass (capped by free worker threads anyway). */
    final int quartzBatch = 4;
    final long quartzMisfireThresholdMs = 60_000;
    final String serviceHeap = "-Xmx256m";

    /** Time bounds: a phase that runs over its bound stops and is reported as partial. */
    final Duration armCap = Duration.ofSeconds(Integer.getInteger("bench.armCapSeconds", 160));
    final Duration burstCap = Duration.ofSeconds(Integer.getInteger("bench.burstCapSeconds", 150));
    final Duration outboxDrainCap = Duration.ofSeconds(90);
    final Duration pendingLoadCap = Duration.ofSeconds(Integer.getInteger("bench.pendingCapSeconds", 130));
    final Duration measuredGrace = Duration.ofSeconds(30);
    final Duration hardLimit = Duration.ofMinutes(Integer.getInteger("bench.hardLimitMinutes", 18));

    final List<String> systems = Arrays.asList(
            System.getProperty("bench.systems", OURS + "," + DB_SCHEDULER + "," + QUARTZ).split(","));
    /** Record a JFR profile of the service (sla-timer-service/target/bench/ours.jfr). */
    final boolean jfr = Boolean.getBoolean("bench.jfr");
    /**
     * Write docs/benchmarks.md: by default only for the standard run, i.e. when no other bench.*
     * setting is given (smoke, diagnostic and partial runs only write sla-timer-service/target/bench).
     */
    final boolean writeDoc = Boolean.parseBoolean(System.getProperty("bench.doc", String.valueOf(
            System.getProperties().stringPropertyNames().stream()
                    .noneMatch(k -> k.startsWith("bench.") && !k.equals("bench.doc")))));

    private int scaled(int n) {
        return (int) Math.max(1, Math.round(n * scale));
    }

    private static int multipleOf4(int n) {
        return Math.max(4, n / 4 * 4);
    }

    private static int multipleOf20(int n) {
        return Math.max(20, n / 20 * 20);
    }
}

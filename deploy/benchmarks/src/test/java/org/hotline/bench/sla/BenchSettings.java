package org.hotline.bench.sla;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Everything the benchmark is parameterised with; the defaults are the issue's numbers. A smoke
 * run can scale the counts down, e.g. {@code -Dbench.scale=0.05 -Dbench.doc=false}.
 */
final class BenchSettings {

    static final String OURS = "ours";
    static final String DB_SCHEDULER = "db-scheduler";
    static final String QUARTZ = "quartz";

    final double scale = Double.parseDouble(System.getProperty("bench.scale", "1"));
    /**
     * (a) timers armed: ours through its consumer (ticket.received records, 20 timers per ticket), then
     * with JDBC one transaction per ticket; the others one call at a time.
     */
    final int armTimers = multipleOf20(scaled(Integer.getInteger("bench.arm", 20_000)));
    /** (b) timers all due at the same instant. */
    final int burstTimers = multipleOf4(scaled(Integer.getInteger("bench.burst", 100_000)));
    /** (c) timers pending far in the future while the measured set falls due. */
    final int pendingTimers = multipleOf20(scaled(Integer.getInteger("bench.pending", 1_000_000)));
    /** (c) timers whose lateness is measured, due evenly over {@link #measuredSpread}. */
    final int measuredTimers = multipleOf4(Integer.getInteger("bench.measured", 2_000));
    final Duration measuredSpread = Duration.ofSeconds(Integer.getInteger("bench.spreadSeconds", 20));

    /** How many times the systems are measured, one after the other, in one invocation (min/median reported). */
    final int runs = Math.max(1, Integer.getInteger("bench.runs", 3));
    /** Executor threads of db-scheduler and Quartz: 32, db-scheduler's documented high-throughput setting. */
    final int threads = Integer.getInteger("bench.threads", 32);
    /** JDBC pool of db-scheduler and Quartz (HikariCP): one per executor thread plus the scheduler's own polling. */
    final int poolSize = Integer.getInteger("bench.pool", threads + 4);
    /**
     * db-scheduler's polling interval. Its lateness is this interval at worst (a timer due just after a
     * poll waits for the next; in a burst lock-and-fetch refetches at once anyway), and its due query
     * is an index probe on execution_time, so a short interval costs little. Measured 2026-12-06
     * (db-scheduler alone, scale 0.1: 100,000 pending, a 10,000 burst; one run each): 10 ms gave
     * lateness p50/p99 7/16 ms and a burst of 2,465/s; 25 ms 15/28 ms, 2,592/s; 100 ms 53/102 ms,
     * 2,042/s. 10 ms gives it its lowest p99, so it is the default.
     */
    final Duration dbSchedulerPolling = Duration.ofMillis(Long.getLong("bench.dbSchedulerPollingMs", 10));
    /** Quartz idleWaitTime: each acquisition scans its trigger table under the cluster lock, so not shorter. */
    final Duration quartzIdleWait = Duration.ofMillis(Long.getLong("bench.quartzIdleWaitMs", 1000));
    /** Our engine's idle poll (its default; it sleeps until the earliest due time otherwise). */
    final Duration pollingInterval = Duration.ofSeconds(1);
    /** db-scheduler lock-and-fetch limits, fractions of the thread count (README: "high throughput"). */
    final double lockAndFetchLower = 1.0;
    final double lockAndFetchUpper = 4.0;
    /** Quartz: triggers acquired per scheduler-thread pass (capped by free worker threads anyway). */
    final int quartzBatch = Integer.getInteger("bench.quartzBatch", threads);
    final long quartzMisfireThresholdMs = 60_000;
    /**
     * Our service's JVM options, ';'-separated in -Dbench.serviceJvm; by default the local run's
     * (deploy/service-jvm.options, read by {@link #jvmOptions}), so the engine is measured as it runs.
     * Until 2026-12-06 (session 26) it ran with -Xmx256m and the JVM's defaults (G1, C2) instead;
     * measured then, run.sh's options gave the lower lateness tail (docs/benchmarks.md).
     */
    private final String serviceJvm = System.getProperty("bench.serviceJvm");

    /** Our service's JVM options (the service also gets MALLOC_ARENA_MAX=2, as run.sh gives it). */
    List<String> jvmOptions(java.nio.file.Path root) {
        try {
            return (serviceJvm != null ? Arrays.stream(serviceJvm.split(";"))
                    : java.nio.file.Files.readAllLines(root.resolve("deploy/service-jvm.options")).stream())
                    .map(String::strip).filter(o -> !o.isEmpty() && !o.startsWith("#")).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
    /**
     * More JVM options of our service, after {@link #jvmOptions}, space-separated (a diagnostic: e.g.
     * a JFR setting, or a configuration property as -Dkey=value); none by default.
     */
    final List<String> serviceOpts = Arrays.stream(System.getProperty("bench.serviceOpts", "").trim().split("\\s+"))
            .filter(o -> !o.isEmpty()).toList();

    /** Time bounds: a phase that runs over its bound stops and is reported as partial. */
    final Duration armCap = Duration.ofSeconds(Integer.getInteger("bench.armCapSeconds", 160));
    final Duration burstCap = Duration.ofSeconds(Integer.getInteger("bench.burstCapSeconds", 150));
    final Duration outboxDrainCap = Duration.ofSeconds(90);
    final Duration pendingLoadCap = Duration.ofSeconds(Integer.getInteger("bench.pendingCapSeconds", 130));
    final Duration measuredGrace = Duration.ofSeconds(30);
    /** A full run of the three takes about 13 min (Quartz alone spends 8 at its bounds): 20 min per run, plus 5. */
    final Duration hardLimit = Duration.ofMinutes(Integer.getInteger("bench.hardLimitMinutes", 20 * runs + 5));

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

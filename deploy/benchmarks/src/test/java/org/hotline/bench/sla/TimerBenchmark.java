package org.hotline.bench.sla;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.hotline.backbone.testing.TestInfra;

/**
 * Issue "SLA clocks", item 9, and issue 18, item 3: this service's timer engine against
 * db-scheduler and Quartz, side by side on the same PostgreSQL, {@code bench.runs} times (3) in one
 * invocation. Not a test (Surefire never runs it); run it with
 *
 * <pre>./mvnw -B -ntp -pl backbone,deploy/benchmarks package -DskipTests -Dbench.main=org.hotline.bench.sla.TimerBenchmark</pre>
 *
 * It prints the results (min/median over the runs, then every run's figures) and rewrites the
 * generated section of docs/benchmarks.md. Every phase is time-bounded, a watchdog ends the run
 * after {@code bench.hardLimitMinutes} (20 per run, plus 5), and the databases it created are
 * dropped on the way out, whatever happens.
 */
public final class TimerBenchmark {

    private TimerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        // the libraries log through slf4j -> JBoss LogManager (the Quarkus test classpath): warnings only
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        }
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"))); // the pom points it into target/
        BenchSettings s = new BenchSettings();
        Path root = Path.of(System.getProperty("hotline.root", "../..")).toAbsolutePath().normalize();
        Path out = root.resolve("sla-timer-service/target/bench");
        Files.createDirectories(out);
        Instant started = Instant.now();
        List<SystemResult> results = Collections.synchronizedList(new ArrayList<>());
        Cleanup.install();
        Cleanup.dropLeftovers();
        Env env = Env.capture(root);
        Log.info("systems " + s.systems + ", " + s.runs + " run(s), scale " + s.scale + "; " + env.nproc + " cpus, "
                + env.memory + ", " + env.postgres);

        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(s.hardLimit.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            Log.info("hard time limit of " + s.hardLimit.toMinutes() + " min reached: stopping");
            try {
                synchronized (results) {
                    Report.write(root, s, env, new ArrayList<>(results), started, true);
                }
            } catch (Exception e) {
                Log.info("could not write the partial report: " + e);
            }
            Runtime.getRuntime().halt(cleanupThenCode());
        }, "bench-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        for (int run = 1; run <= s.runs; run++) {
            Log.info("run " + run + " of " + s.runs);
            for (String system : s.systems) {
                switch (system.strip()) {
                    case BenchSettings.OURS -> {
                        Log.info("the in-JVM Kafka broker (started once, shared by the runs)");
                        String kafka = TestInfra.kafkaBootstrap();
                        OurEngineBench.run(s, run, root, out, kafka, results);
                    }
                    case BenchSettings.DB_SCHEDULER -> DbSchedulerBench.run(s, run, results);
                    case BenchSettings.QUARTZ -> QuartzBench.run(s, run, results);
                    default -> Log.info("unknown system " + system + " (ours, db-scheduler, quartz)");
                }
            }
        }
        watchdog.interrupt();

        List<SystemResult> rs = new ArrayList<>(results);
        System.out.println();
        System.out.println(Report.summary(rs));
        System.out.println(Report.targets(rs));
        System.out.println(Report.table(rs));
        System.out.println(Report.details(rs));
        Report.write(root, s, env, rs, started, false);
        boolean failed = rs.stream().anyMatch(r -> r.error != null);
        System.exit(failed ? 1 : 0); // shutdown hooks: databases dropped, broker stopped
    }

    /** Used by the watchdog: halt skips shutdown hooks, so clean up first. */
    private static int cleanupThenCode() {
        Thread t = new Thread(() -> System.exit(2));
        t.start();
        try {
            t.join(60_000);
        } catch (InterruptedException ignored) {
            // halt anyway
        }
        return 2;
    }
}

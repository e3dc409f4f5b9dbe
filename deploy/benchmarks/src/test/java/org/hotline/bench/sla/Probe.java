package org.hotline.bench.sla;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where the time goes during a phase: CPU used by the machine, the service process, this JVM and
 * the PostgreSQL backends (from /proc), and what the system's database sessions were doing,
 * sampled from pg_stat_activity every 100 ms (state, wait event, statement).
 */
final class Probe implements AutoCloseable {

    private final long servicePid;
    private final long[] machineStart;
    private final long serviceStart;
    private final long selfStart;
    private final long postgresStart;
    private final long startNanos = System.nanoTime();
    private final Map<String, Integer> activity = new LinkedHashMap<>();
    private final Thread sampler;
    private volatile boolean running = true;
    private int samples;
    /** Set by cpu() when processes outside the benchmark used a noticeable share of the machine. */
    boolean otherBusy;

    private Probe(String database, long servicePid) {
        this.servicePid = servicePid;
        this.machineStart = machine();
        this.serviceStart = servicePid > 0 ? processTicks(servicePid) : 0;
        this.selfStart = processTicks(ProcessHandle.current().pid());
        this.postgresStart = postgresTicks();
        this.sampler = new Thread(() -> sample(database), "bench-activity-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    static Probe start(String database, long servicePid) {
        return new Probe(database, servicePid);
    }

    private void sample(String database) {
        String sql = "select state, coalesce(wait_event_type || ':' || wait_event, 'on CPU'),"
                + " left(regexp_replace(query, '\\s+', ' ', 'g'), 90) from pg_stat_activity"
                + " where datname = ? and pid <> pg_backend_pid() and backend_type = 'client backend'"
                + " and state <> 'idle' and coalesce(application_name, '') <> 'timer-benchmark'";
        try (Connection c = Pg.connect(database, null); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, database);
            while (running) {
                try (ResultSet rs = ps.executeQuery()) {
                    synchronized (this) {
                        samples++;
                        while (rs.next()) {
                            String state = rs.getString(1);
                            String what = state + " | " + (state.startsWith("idle in") ? "(client busy)" : rs.getString(2))
                                    + " | " + (state.startsWith("idle in") ? "last: " : "") + rs.getString(3);
                            activity.merge(what, 1, Integer::sum);
                        }
                    }
                }
                Thread.sleep(100);
            }
        } catch (Exception e) {
            if (running) {
                Log.info("activity sampler stopped: " + e);
            }
        }
    }

    /** CPU summary over the probe's lifetime, in cores used on average. */
    String cpu() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long[] m = machine();
        double busy = (m[0] - machineStart[0]) / (double) Math.max(1, m[1] - machineStart[1]);
        int cores = Runtime.getRuntime().availableProcessors();
        double service = servicePid > 0 ? ticksToCores(processTicks(servicePid) - serviceStart, seconds) : 0;
        double self = ticksToCores(processTicks(ProcessHandle.current().pid()) - selfStart, seconds);
        double postgres = ticksToCores(postgresTicks() - postgresStart, seconds);
        double other = Math.max(0, busy * cores - service - self - postgres);
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "machine %.0f%% busy of %d cores", busy * 100, cores));
        if (servicePid > 0) {
            b.append(String.format(Locale.ROOT, "; service JVM %.2f cores", service));
        }
        b.append(String.format(Locale.ROOT, "; benchmark JVM (%s) %.2f cores",
                servicePid > 0 ? "Kafka broker, probes" : "the scheduler, probes", self));
        b.append(String.format(Locale.ROOT, "; PostgreSQL %.2f cores", postgres));
        b.append(String.format(Locale.ROOT, "; everything else %.2f cores", other));
        if (other > 0.3) {
            otherBusy = true;
        }
        return b.toString();
    }

    /** cpu(), and a note on r when something outside the benchmark competed for the CPU. */
    String cpu(SystemResult r, String phase) {
        String cpu = cpu();
        if (otherBusy) {
            r.note(phase + ": processes outside the benchmark used the CPU meanwhile (" + cpu + "); this phase's"
                    + " numbers are disturbed");
        }
        return cpu;
    }

    /** The most frequent session states, as average number of sessions in that state. */
    synchronized List<String> topActivity(int n) {
        List<String> out = new ArrayList<>();
        if (samples == 0) {
            return out;
        }
        int total = samples;
        activity.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(n)
                .forEach(e -> out.add(String.format("%.2f sessions: %s", e.getValue() / (double) total, e.getKey())));
        out.add(samples + " samples");
        return out;
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }

    private static double ticksToCores(long ticks, double seconds) {
        return ticks / 100.0 / Math.max(0.001, seconds); // USER_HZ is 100 on Linux
    }

    /** [busy, total] jiffies of the whole machine. */
    private static long[] machine() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (Exception e) {
            return new long[] {0, 1};
        }
    }

    private static long processTicks(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
        } catch (Exception e) {
            return 0;
        }
    }

    private static long postgresTicks() {
        long sum = 0;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    if (Files.readString(p.resolve("comm")).strip().startsWith("postgres")) {
                        sum += processTicks(Long.parseLong(name));
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return sum;
    }
}

package org.hotline.bench.intake;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.HdrHistogram.Histogram;
import org.hotline.backbone.testing.TestInfra;
import org.hotline.backbone.testing.TestTokens;

/**
 * Ticket intake on this machine: the packaged intake-service (quarkus-run.jar) as a child process
 * against the real PostgreSQL and a real Kafka broker (the in-JVM KRaft test kit, as the tests),
 * driven over HTTP by {@link HttpLoad} (Vert.x' client); beside it, pgbench's raw single-row insert
 * rate on the same server, same run.
 *
 * <ol>
 * <li>warm-up, then a fixed rate (default 500/s, open loop: latency counted from each request's
 * scheduled send time, so a stall is not hidden) → p50/p99/max;</li>
 * <li>saturation: N concurrent clients as fast as the service answers → sustained tickets/s;</li>
 * <li>the outbox drained to Kafka afterwards (every ticket.received really published);</li>
 * <li>pgbench: one-row inserts, same client count.</li>
 * </ol>
 * <p>The service runs as {@code deploy/run.sh} runs it: the JVM options of deploy/service-jvm.options,
 * {@code MALLOC_ARENA_MAX=2}, and its AppCDS archive when one is there and usable (run.sh's trained
 * {@code app-cds-trained.jsa}, else Quarkus' {@code app-cds.jsa}; -Dbench.appcds=false for none), so
 * the service's RSS, sampled every second and reported per phase, is the local run's.
 * Settings: -Dbench.rate=500 -Dbench.seconds=30 -Dbench.clients=32 -Dbench.warmup=10
 * -Dbench.jvm="-Xmx256m;-XX:+UseSerialGC" (other options instead of run.sh's, separated by ";" or
 * spaces; the archive is still used), -Dbench.jvmExtra="-XX:NativeMemoryTracking=summary" (added to them),
 * -Dbench.senders=64 (the load generator's connections). Run:
 * {@code ./mvnw -B -ntp -pl backbone,deploy/benchmarks package -DskipTests -Dbench.main=org.hotline.bench.intake.IntakeBenchmark}
 * (after packaging intake-service)
 */
public final class IntakeBenchmark {

    static final int RATE = Integer.getInteger("bench.rate", 500);
    static final int SECONDS = Integer.getInteger("bench.seconds", 30);
    static final int CLIENTS = Integer.getInteger("bench.clients", 32);
    static final int WARMUP = Integer.getInteger("bench.warmup", 10);
    /** The load generator's keep-alive connections (concurrent requests at most): a client pool, as the 12345 platform's feed has. */
    static final int CONNECTIONS = Integer.getInteger("bench.senders", 64);
    /** The service's JVM options: -Dbench.jvm, else run.sh's (deploy/service-jvm.options, read in main). */
    static String jvm = System.getProperty("bench.jvm");
    static final String[] CATEGORIES = {"NOISE", "ROAD_DAMAGE", "SANITATION", "NEIGHBOR_DISPUTE", "TRAFFIC_PARKING"};

    private static final AtomicLong SEQ = new AtomicLong();
    private static final String TICKETS = "/api/tickets";
    /** The benchmark posts as one operator, signed with the test key the service is told to trust. */
    private static final String AUTHORIZATION = TestTokens.bearer(TestTokens.operator("bench-operator"));

    public static void main(String[] args) {
        // exits either way: after a failure the broker's and the load's threads (not daemons) would
        // keep this JVM, and the Maven build that started it, up for good
        try {
            run();
            System.exit(0);
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run() throws Exception {
        Path root = Path.of(System.getProperty("hotline.root", "../..")).toAbsolutePath().normalize();
        Path jar = root.resolve("intake-service/target/quarkus-app/quarkus-run.jar");
        Path out = root.resolve("intake-service/target/bench");
        Files.createDirectories(out);
        Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"))); // the pom points it into target/
        StringBuilder report = new StringBuilder();

        String bootstrap = TestInfra.kafkaBootstrap();
        String db = TestInfra.createDatabase("intake_bench");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> options = new ArrayList<>();
        if (jvm == null) {
            options.addAll(Files.readAllLines(root.resolve("deploy/service-jvm.options")).stream().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList());
            jvm = "deploy/service-jvm.options: " + String.join(" ", options);
        } else {
            options.addAll(List.of(jvm.split("[\\s;]+"))); // ";" too: exec:exec splits its arguments on spaces
        }
        String extra = System.getProperty("bench.jvmExtra", "").strip(); // e.g. NMT or a JFR recording beside them
        if (!extra.isEmpty()) {
            options.addAll(List.of(extra.split("[\\s;]+")));
            jvm += " " + extra;
        }
        Path appDir = jar.getParent();
        String archive = Boolean.parseBoolean(System.getProperty("bench.appcds", "true"))
                ? usableArchive(javaBin, appDir, "app-cds-trained.jsa", "app-cds.jsa") : null;
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBin);
        cmd.addAll(options);
        ProcessBuilder pb;
        if (archive != null) {
            // the archive names the class path as it was recorded: quarkus-run.jar, from its own directory
            cmd.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-jar", "quarkus-run.jar"));
            pb = new ProcessBuilder(cmd).directory(appDir.toFile());
            jvm += " -XX:SharedArchiveFile=" + archive;
        } else {
            cmd.addAll(List.of("-jar", jar.toString()));
            pb = new ProcessBuilder(cmd);
            jvm += " (no AppCDS archive)";
        }
        pb.redirectErrorStream(true).redirectOutput(out.resolve("intake-service.log").toFile());
        pb.environment().putIfAbsent("MALLOC_ARENA_MAX", "2"); // as run.sh: fewer glibc arenas, less RSS
        pb.environment().putAll(java.util.Map.of("DB_HOST", TestInfra.pgHost(), "DB_PORT",
                String.valueOf(TestInfra.pgPort()), "DB_NAME", db, "DB_USER", TestInfra.pgUser(), "DB_PASSWORD",
                TestInfra.pgPassword(), "KAFKA_BOOTSTRAP_SERVERS", bootstrap, "QUARKUS_HTTP_PORT",
                String.valueOf(port), "HOTLINE_KAFKA_REPLICATION_FACTOR", "1", "HOTLINE_KAFKA_MIN_INSYNC_REPLICAS", "1"));
        // trust backbone's test key pair (the packaged service runs the prod profile), and lift the
        // per-user create limit far above what the load generator sends
        Path publicKey = out.resolve("jwt-public.pem");
        try (var in = IntakeBenchmark.class.getClassLoader().getResourceAsStream("test-jwt/public.pem")) {
            Files.write(publicKey, in.readAllBytes());
        }
        pb.environment().putAll(java.util.Map.of("MP_JWT_VERIFY_PUBLICKEY_LOCATION", publicKey.toUri().toString(),
                "MP_JWT_VERIFY_ISSUER", TestTokens.ISSUER, "INTAKE_RATE_LIMIT_CAPACITY", "1000000000",
                "INTAKE_RATE_LIMIT_REFILL_PER_MINUTE", "1000000000"));
        Process service = pb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(service::destroyForcibly));
        RssSampler rss = new RssSampler(service.pid());
        String base = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpLoad load = null;
        try {
            awaitReady(http, base, service);
            rss.start();
            String atReady = rss.now();
            report.append("# intake-service benchmark\n\n").append(env()).append('\n');
            report.append(String.format(Locale.ROOT, "settings: rate %d/s for %d s after %d s warm-up (open loop over at most %d keep-alive connections, Vert.x client); saturation with %d"
                    + " clients for %d s; service JVM `%s`; Kafka in-JVM (KRaft test kit) in the benchmark's JVM%n%n",
                    RATE, SECONDS, WARMUP, CONNECTIONS, CLIENTS, SECONDS, jvm));

            load = new HttpLoad("127.0.0.1", port, CONNECTIONS, AUTHORIZATION);
            load.fixedRate(TICKETS, RATE, WARMUP, IntakeBenchmark::body); // warm-up, discarded
            String warmupPeak = rss.phasePeak();
            report.append("| phase | requests | throughput | client p50 | client p99 | client max | service time per create (mean) | service CPU per ticket | machine CPU busy | reports per commit (mean) | PostgreSQL CPU per ticket | benchmark JVM (load generator, broker) CPU per ticket |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            Probe before = Probe.take(http, base, service.pid());
            Result paced = load.fixedRate(TICKETS, RATE, SECONDS, IntakeBenchmark::body);
            Probe mid = Probe.take(http, base, service.pid());
            String pacedPeak = rss.phasePeak();
            report.append(paced.line("fixed rate " + RATE + "/s")).append(mid.since(before, paced.ok())).append('\n');
            Result flat = load.saturate(TICKETS, CLIENTS, SECONDS, IntakeBenchmark::body);
            Probe after = Probe.take(http, base, service.pid());
            String flatPeak = rss.phasePeak();
            report.append(flat.line("saturation, " + CLIENTS + " clients")).append(after.since(mid, flat.ok())).append('\n');

            Instant loadEnd = Instant.now();
            try (Connection c = DriverManager.getConnection(TestInfra.jdbcUrl(db) + "?currentSchema=intake",
                    TestInfra.pgUser(), TestInfra.pgPassword())) {
                long waiting;
                do {
                    waiting = scalar(c, "select count(*) from outbox_event where published_at is null");
                    if (waiting > 0) {
                        Thread.sleep(200);
                    }
                } while (waiting > 0 && Duration.between(loadEnd, Instant.now()).toSeconds() < 120);
                report.append(String.format(Locale.ROOT,
                        "%ntickets stored %d, repeats %d, events in outbox %d, unpublished %d (%.1f s after the load ended)%n",
                        scalar(c, "select count(*) from ticket"), scalar(c, "select count(*) from repeat_report"),
                        scalar(c, "select count(*) from outbox_event"), waiting,
                        Duration.between(loadEnd, Instant.now()).toMillis() / 1000.0));
            }
            Thread.sleep(10_000); // a little idle time, as the local run has after a burst (native-heap trim every 5 s)
            report.append(String.format(Locale.ROOT, "%nservice RSS (VmRSS, sampled every second; peak per phase): at ready %s;"
                    + " warm-up peak %s; fixed rate peak %s; saturation peak %s; after the drain and 10 s idle %s;"
                    + " VmHWM %s%n", atReady, warmupPeak, pacedPeak, flatPeak, rss.now(), rss.hwm()));
            report.append('\n').append(pgbench(CLIENTS)).append('\n').append(pgbench(1)).append('\n');
        } catch (Exception | Error e) {
            // a run that failed (a phase's requests never answered, say) leaves what the service's
            // threads were doing, before it is stopped
            threadDump(service, out.resolve("intake-service-threads.txt"));
            throw e;
        } finally {
            service.destroy();
            if (!service.waitFor(20, TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
            TestInfra.dropDatabase(db);
            if (load != null) {
                load.close();
            }
        }
        System.out.println(report);
        Files.writeString(out.resolve("intake-bench.md"), report);
    }

    /** The service's threads (jcmd Thread.print) into the file; nothing if the service is gone. */
    static void threadDump(Process service, Path file) {
        if (!service.isAlive()) {
            return;
        }
        try {
            Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    String.valueOf(service.pid()), "Thread.print").redirectErrorStream(true)
                    .redirectOutput(file.toFile()).start();
            if (jcmd.waitFor(30, TimeUnit.SECONDS)) {
                System.err.println("the service's threads at the failure: " + file);
            } else {
                jcmd.destroyForcibly();
            }
        } catch (IOException e) {
            System.err.println("no thread dump of the service: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The first archive the JVM maps with this jar (-Xshare:on refuses one made for other jars or another JVM). */
    static String usableArchive(String java, Path appDir, String... names) throws Exception {
        for (String name : names) {
            if (Files.exists(appDir.resolve(name))) {
                Process p = new ProcessBuilder(java, "-XX:SharedArchiveFile=" + name, "-Xshare:on", "-cp", "quarkus-run.jar",
                        "-version").directory(appDir.toFile()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (p.waitFor() == 0) {
                    return name;
                }
            }
        }
        return null;
    }

    /** The service's resident memory from /proc, every second: the peak since the last phase, and the thread count there. */
    static final class RssSampler extends Thread {
        private final Path status;
        private long peakKb;
        private long peakThreads;

        RssSampler(long pid) {
            super("rss-sampler");
            setDaemon(true);
            this.status = Path.of("/proc/" + pid + "/status");
        }

        @Override
        public void run() {
            while (true) {
                try {
                    long[] v = read();
                    synchronized (this) {
                        if (v[0] > peakKb) {
                            peakKb = v[0];
                            peakThreads = v[2];
                        }
                    }
                    Thread.sleep(1000);
                } catch (Exception e) {
                    return; // the service is gone
                }
            }
        }

        private long[] read() throws IOException {
            long rss = 0, hwm = 0, threads = 0, anon = 0, file = 0;
            for (String l : Files.readAllLines(status)) {
                String[] f = l.split("\\s+");
                switch (f[0]) {
                    case "VmRSS:" -> rss = Long.parseLong(f[1]);
                    case "VmHWM:" -> hwm = Long.parseLong(f[1]);
                    case "Threads:" -> threads = Long.parseLong(f[1]);
                    case "RssAnon:" -> anon = Long.parseLong(f[1]);
                    case "RssFile:" -> file = Long.parseLong(f[1]);
                    default -> { }
                }
            }
            return new long[] {rss, hwm, threads, anon, file};
        }

        synchronized String phasePeak() {
            String s = String.format(Locale.ROOT, "%d MB (%d threads)", peakKb / 1024, peakThreads);
            peakKb = 0;
            return s;
        }

        String now() throws IOException {
            long[] v = read();
            // anonymous (heap, metaspace, code, stacks, malloc) and file-backed (the mapped CDS archive, libjvm)
            return String.format(Locale.ROOT, "%d MB (%d threads; anon %d MB, file %d MB)", v[0] / 1024, v[2],
                    v[3] / 1024, v[4] / 1024);
        }

        String hwm() throws IOException {
            return (read()[1] / 1024) + " MB";
        }
    }

    record Result(long ok, long failed, double seconds, Histogram latency) {
        String line(String name) {
            return String.format(Locale.ROOT, "| %s | %d ok, %d failed | %.0f tickets/s | %.1f ms | %.1f ms | %.1f ms |",
                    name, ok, failed, ok / seconds, latency.getValueAtPercentile(50) / 1e3,
                    latency.getValueAtPercentile(99) / 1e3, latency.getMaxValue() / 1e3);
        }
    }

    /** Service-side create time (its own histogram), the service's CPU time and the machine's busy CPU. */
    record Probe(double createSum, double createCount, long serviceCpuTicks, long busy, long total, double groupSum,
            double groupCount, long postgresTicks, long benchTicks) {
        static Probe take(HttpClient http, String base, long pid) throws Exception {
            String metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            double sum = 0;
            double count = 0;
            double groupSum = 0;
            double groupCount = 0;
            for (String l : metrics.split("\n")) {
                if (l.startsWith("group_commit_size_sum{") && l.contains("group=\"intake-reports\"")) {
                    groupSum += Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
                } else if (l.startsWith("group_commit_size_count{") && l.contains("group=\"intake-reports\"")) {
                    groupCount += Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
                }
                if (l.startsWith("intake_ticket_create_seconds_sum")) {
                    sum += Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
                } else if (l.startsWith("intake_ticket_create_seconds_count")) {
                    count += Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1));
                }
            }
            long cpu = cpuTicks(pid);
            long postgres = 0; // every postgres process: the server's backends, writers and checkpointer
            try (var procs = Files.list(Path.of("/proc"))) {
                for (Path p : (Iterable<Path>) procs::iterator) {
                    String name = p.getFileName().toString();
                    if (name.chars().allMatch(Character::isDigit)) {
                        try {
                            if (Files.readString(p.resolve("comm")).strip().equals("postgres")) {
                                postgres += cpuTicks(Long.parseLong(name));
                            }
                        } catch (IOException | RuntimeException gone) {
                            // exited meanwhile
                        }
                    }
                }
            }
            String[] all = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < all.length; i++) {
                total += Long.parseLong(all[i]);
            }
            long idle = Long.parseLong(all[4]) + Long.parseLong(all[5]);
            return new Probe(sum, count, cpu, total - idle, total, groupSum, groupCount, postgres,
                    cpuTicks(ProcessHandle.current().pid()));
        }

        /** utime + stime of a process, in clock ticks (100 Hz). */
        static long cpuTicks(long pid) throws IOException {
            String[] stat = Files.readString(Path.of("/proc/" + pid + "/stat")).replaceFirst("^.*\\) ", "").split(" ");
            return Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
        }

        String since(Probe p, long tickets) {
            double meanMs = (createSum - p.createSum) / Math.max(1, createCount - p.createCount) * 1000;
            double cpuMsPerTicket = (serviceCpuTicks - p.serviceCpuTicks) * 10.0 / Math.max(1, tickets); // 100 Hz
            double busyPct = 100.0 * (busy - p.busy) / Math.max(1, total - p.total);
            double perCommit = (groupSum - p.groupSum) / Math.max(1, groupCount - p.groupCount);
            double pgMsPerTicket = (postgresTicks - p.postgresTicks) * 10.0 / Math.max(1, tickets);
            double benchMsPerTicket = (benchTicks - p.benchTicks) * 10.0 / Math.max(1, tickets);
            return String.format(Locale.ROOT, " %.1f ms | %.2f ms | %.0f %% | %.1f | %.2f ms | %.2f ms |", meanMs,
                    cpuMsPerTicket, busyPct, perCommit, pgMsPerTicket, benchMsPerTicket);
        }
    }

    /** A distinct caller and place each time (so almost none is a repeat), as a busy hotline sees. */
    static String body() {
        long n = SEQ.incrementAndGet();
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String phone = "13" + (5 + r.nextInt(5)) + String.format("%08d", r.nextInt(100_000_000));
        return String.format(Locale.ROOT, """
                {"source":"HOTLINE_12345","caller":{"name":"张三","phone":"%s"},
                 "location":{"address":"武康街道英溪北路 %d 号","latitude":%.6f,"longitude":%.6f,"street":"wukang","grid":"wukang-0%d"},
                 "category":"%s","description":"benchmark report %d"}
                """, phone, n % 500, 29.5 + r.nextDouble() * 2, 119.0 + r.nextDouble() * 2, 1 + n % 4,
                CATEGORIES[(int) (n % CATEGORIES.length)], n);
    }

    /** pgbench: single-row inserts (a uuid key, a few columns, like a slim ticket row) on the same server. */
    static String pgbench(int clients) throws Exception {
        String db = TestInfra.createDatabase("pgbench");
        try {
            try (Connection c = DriverManager.getConnection(TestInfra.jdbcUrl(db), TestInfra.pgUser(),
                    TestInfra.pgPassword()); Statement s = c.createStatement()) {
                s.execute("create table t (id uuid primary key, street text not null, category text not null,"
                        + " description text not null, created_at timestamptz not null)");
            }
            Path script = Files.createTempFile("insert", ".sql");
            Files.writeString(script, "insert into t values (gen_random_uuid(), 'wukang', 'NOISE',"
                    + " 'benchmark report', now());\n");
            List<String> cmd = List.of("pgbench", "-n", "-h", TestInfra.pgHost(), "-p",
                    String.valueOf(TestInfra.pgPort()), "-U", TestInfra.pgUser(), "-c", String.valueOf(clients), "-j",
                    String.valueOf(Math.min(clients, Runtime.getRuntime().availableProcessors())), "-T",
                    String.valueOf(Math.min(SECONDS, 20)), "-f", script.toString(), db);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().put("PGPASSWORD", TestInfra.pgPassword());
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            String tps = output.lines().filter(l -> l.startsWith("tps") || l.startsWith("latency average"))
                    .reduce((a, b) -> a + "; " + b).orElse(output);
            return "| pgbench single-row insert, " + clients + " clients | " + tps + " |";
        } finally {
            TestInfra.dropDatabase(db);
        }
    }

    static void awaitReady(HttpClient http, String base, Process service) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new IllegalStateException("intake-service exited; see target/bench/intake-service.log");
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException("intake-service not ready in 90 s");
    }

    static long scalar(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String env() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("?");
        String pg;
        try (Connection c = DriverManager.getConnection(TestInfra.jdbcUrl("postgres"), TestInfra.pgUser(),
                TestInfra.pgPassword()); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select version() || ', synchronous_commit=' || current_setting('synchronous_commit')"
                        + " || ', shared_buffers=' || current_setting('shared_buffers')")) {
            rs.next();
            pg = rs.getString(1);
        } catch (Exception e) {
            pg = "?";
        }
        return String.format(Locale.ROOT, "machine: %s, %d CPUs visible; %s; Java %s; %s%n", cpu,
                Runtime.getRuntime().availableProcessors(), pg, System.getProperty("java.runtime.version"),
                Instant.now());
    }
}

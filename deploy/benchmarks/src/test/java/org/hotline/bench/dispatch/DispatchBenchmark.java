package org.hotline.bench.dispatch;

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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.hotline.backbone.testing.TestInfra;
import org.hotline.backbone.testing.TestTokens;

/**
 * Issue #4, item 10: recommendation latency with 10,000 units and 100,000 open tickets in the
 * database, and dispatch transitions per second, measured over HTTP against the packaged service
 * (quarkus-run.jar as a child process, real PostgreSQL and the in-JVM Kafka broker). Not a test;
 * run with
 *
 * <pre>
 * ./mvnw -B -ntp -pl dispatch-service package -DskipTests
 * ./mvnw -B -ntp -pl backbone,dispatch-service,deploy/benchmarks -am package -DskipTests
 * ./mvnw -B -ntp -pl backbone,deploy/benchmarks package -DskipTests -Dbench.main=org.hotline.bench.dispatch.DispatchBenchmark
 * </pre>
 *
 * {@code -Dbench.jvmArgs="-Dbench.scale=0.1"} scales units and tickets down for a smoke run. It
 * prints a markdown section (also written to target/bench/result.md).
 */
public final class DispatchBenchmark {

    static final String[] CATEGORIES = {"NOISE", "NEIGHBOR_DISPUTE", "FAMILY_DISPUTE", "TRAFFIC_PARKING", "SANITATION",
        "ROAD_DAMAGE", "FACILITY_DAMAGE", "ILLEGAL_CONSTRUCTION", "CONSUMER_DISPUTE", "WAGE_ARREARS"};
    static final String[] TYPES = {"POLICE_STATION", "LAW_ENFORCEMENT", "MEDIATION", "CITY_MANAGEMENT", "GRID_WORKER",
        "OTHER"};

    private DispatchBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        }
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"))); // the pom points it into target/
        double scale = Double.parseDouble(System.getProperty("bench.scale", "1"));
        int units = (int) (10_000 * scale);
        int openTickets = (int) (100_000 * scale);
        int perStreet = 100;
        int streets = Math.max(1, units / perStreet);
        int samples = Integer.getInteger("bench.samples", 5_000);
        int flows = Integer.getInteger("bench.flows", 400);
        int clients = Integer.getInteger("bench.clients", 8);
        Path root = Path.of(System.getProperty("hotline.root", "../..")).toAbsolutePath().normalize();
        Path jar = root.resolve("dispatch-service/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " missing: ./mvnw -B -ntp -pl dispatch-service package -DskipTests");
        }
        Path out = root.resolve("dispatch-service/target/bench");
        Files.createDirectories(out);

        String kafka = TestInfra.kafkaBootstrap();
        TestInfra.ensurePostgres();
        String db = TestInfra.createDatabase("dispatch_bench");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String jdbc = TestInfra.jdbcUrl(db);
        String host = URI.create(jdbc.substring(5)).getHost();
        int pgPort = URI.create(jdbc.substring(5)).getPort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g"));
        // e.g. -Dbench.serviceJvmArgs=-XX:StartFlightRecording=filename=target/bench/service.jfr,settings=profile
        String serviceJvmArgs = System.getProperty("bench.serviceJvmArgs", "").trim();
        if (!serviceJvmArgs.isEmpty()) {
            command.addAll(Arrays.asList(serviceJvmArgs.split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        pb.environment().put("DB_HOST", host);
        pb.environment().put("DB_PORT", String.valueOf(pgPort));
        pb.environment().put("DB_NAME", db);
        pb.environment().put("DB_USER", TestInfra.pgUser());
        pb.environment().put("DB_PASSWORD", TestInfra.pgPassword());
        pb.environment().put("KAFKA_BOOTSTRAP_SERVERS", kafka);
        pb.environment().put("HOTLINE_DEMO_DATA", "false");
        pb.environment().put("HOTLINE_KAFKA_REPLICATION_FACTOR", "1"); // one broker
        pb.environment().put("HOTLINE_KAFKA_MIN_INSYNC_REPLICAS", "1");
        pb.environment().put("HOTLINE_ACK_TOKEN_SECRET", "bench-ack-secret-0123456789abcdef0123"); // no dev default when packaged
        pb.environment().put("DISPATCH_AUTO_DISPATCH", "false");
        pb.environment().put("DISPATCH_ACK_TIMEOUT", "PT24H");
        // trust backbone's test key pair (the packaged service runs the prod profile): the benchmark's
        // requests carry tokens as the command room's and the field team's would
        Path publicKey = out.resolve("jwt-public.pem");
        try (var in = DispatchBenchmark.class.getClassLoader().getResourceAsStream("test-jwt/public.pem")) {
            Files.write(publicKey, in.readAllBytes());
        }
        pb.environment().put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", publicKey.toUri().toString());
        pb.environment().put("MP_JWT_VERIFY_ISSUER", TestTokens.ISSUER);
        pb.redirectErrorStream(true);
        pb.redirectOutput(out.resolve("service.log").toFile());
        Process service = pb.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            service.destroy();
            TestInfra.dropDatabase(db);
        }));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String base = "http://127.0.0.1:" + port;
        awaitReady(http, base, service);
        String cpu = Runtime.getRuntime().availableProcessors() + " cpus";

        // seed: streets of 100 units, every unit handling 3 of 10 categories; 100,000 open tickets,
        // each with an acknowledged lead of its street (about 10 open per unit, capacity 40)
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection(jdbc + "?currentSchema=dispatch", TestInfra.pgUser(),
                TestInfra.pgPassword()); Statement st = c.createStatement()) {
            st.execute("insert into unit (id, name, type, street, grids, categories, status, capacity, latitude, longitude) "
                    + "select 'u' || i, 'unit ' || i, (array['" + String.join("','", TYPES) + "'])[i % 6 + 1], "
                    + "'b' || (i / " + perStreet + "), array['b' || (i / " + perStreet + ") || '-g' || (i % 10)], "
                    + "array[(array['" + String.join("','", CATEGORIES) + "'])[i % 10 + 1], (array['"
                    + String.join("','", CATEGORIES) + "'])[(i + 3) % 10 + 1], (array['" + String.join("','", CATEGORIES)
                    + "'])[(i + 7) % 10 + 1]], 'AVAILABLE', 40, 30.5 + (i % 97) * 0.001, 119.9 + (i % 89) * 0.001 "
                    + "from generate_series(0, " + (units - 1) + ") i");
            st.execute("insert into unit_member (member_id, unit_id, name, phone) select 'u' || i || '-m1', 'u' || i, "
                    + "'member', '13900000000' from generate_series(0, " + (units - 1) + ") i");
            // two members per unit covering the clock between them (day 08:00-20:00, night 20:00-08:00),
            // so every unit is on duty but the roster condition is evaluated for each candidate
            st.execute("insert into unit_member (member_id, unit_id, name, phone) select 'u' || i || '-m2', 'u' || i, "
                    + "'member', '13900000000' from generate_series(0, " + (units - 1) + ") i");
            st.execute("insert into unit_shift (id, unit_id, member_id, days, start_time, end_time) select gen_random_uuid(), "
                    + "'u' || i, 'u' || i || '-m' || m, array['MON','TUE','WED','THU','FRI','SAT','SUN'], "
                    + "case m when 1 then '08:00' else '20:00' end, case m when 1 then '20:00' else '08:00' end "
                    + "from generate_series(0, " + (units - 1) + ") i, generate_series(1, 2) m");
            st.execute("insert into dispatch_ticket (id, street, grid, category, complexity, address, latitude, longitude, "
                    + "stage, reported_at, received_at, dispatched_at) select gen_random_uuid(), 'b' || (i % " + streets
                    + "), 'b' || (i % " + streets + ") || '-g' || (i % 10), (array['" + String.join("','", CATEGORIES)
                    + "'])[i % 10 + 1], 'SIMPLE', 'addr ' || i, 30.5, 119.9, 'ON_SCENE', now(), now(), now() "
                    + "from generate_series(0, " + (openTickets - 1) + ") i");
            st.execute("insert into assignment (id, ticket_id, unit_id, role, status, automatic, created_at, reason, "
                    + "recommended, ack_deadline, acked_at) select gen_random_uuid(), t.id, 'u' || ((substring(t.street from 2))::int * "
                    + perStreet + " + (t.rn % " + perStreet + ")), 'LEAD', 'ON_SCENE', false, now(), 'DISPATCH', false, "
                    // numbered within the street: numbered in insertion order (row_number() over ()), a street's
                    // tickets were 100 apart and all its 1,000 leads landed on one of its units
                    + "now() + interval '1 day', now() from (select id, street, row_number() over (partition by street "
                    + "order by id) as rn from dispatch_ticket) t");
            st.execute("analyze");
        }
        long seedMs = (System.nanoTime() - t0) / 1_000_000;
        // tokens signed up front (RSA signing is client work that does not belong in a measured phase):
        // a dispatcher of each street, member m1 of each unit
        long m0 = System.nanoTime();
        java.util.stream.IntStream.range(0, streets).parallel().forEach(i -> dispatcherToken("b" + i));
        java.util.stream.IntStream.range(0, units).parallel().forEach(i -> memberToken("u" + i));
        System.out.printf("signed %,d tokens in %,d ms%n", streets + units, (System.nanoTime() - m0) / 1_000_000);

        // probe tickets: NEW, spread over the streets and categories
        List<String> probes = newTickets(jdbc, streets, Math.max(200, flows * 2));
        for (int i = 0; i < 300; i++) {
            String probe = probes.get(i % probes.size());
            get(http, base + "/api/dispatch/tickets/" + probe + "/recommendations", dispatcherOf(probe));
        }
        // first pass: as measured since issue #4 (300 warm-up requests, then the JVM still compiling);
        // second pass: the same again on the now warm JVM (the transitions on the other half of the probes)
        long servicePid = service.pid();
        long[] cpu0 = cpu(servicePid);
        long[] lat = recommendations(http, base, probes, samples);
        long[] cpu1 = cpu(servicePid);
        double[] flow1 = transitions(http, base, probes.subList(0, flows), clients);
        long[] cpu2 = cpu(servicePid);
        long[] lat2 = recommendations(http, base, probes, samples);
        long[] cpu3 = cpu(servicePid);
        double[] flow2 = transitions(http, base, probes.subList(flows, 2 * flows), clients);
        long[] cpu4 = cpu(servicePid);
        phase("done");

        String report = """
                ## dispatch-service: recommendations and transitions

                `./mvnw -B -ntp -pl backbone,dispatch-service,deploy/benchmarks -am package -DskipTests && ./mvnw -B -ntp -pl backbone,deploy/benchmarks package -DskipTests -Dbench.main=org.hotline.bench.dispatch.DispatchBenchmark`
                (org.hotline.bench.dispatch.DispatchBenchmark; scale %s). Packaged service as a child process (-Xmx1g),
                PostgreSQL %s, in-JVM Kafka, %s shared with the benchmark client; measured over HTTP on loopback, every
                request with a signed JWT (the street's dispatcher, the unit's member) that the service verifies.

                Data: %,d units in %,d streets (100 per street, 3 of 10 categories each, two members with a day and a
                night shift each), %,d open tickets each with an open lead (seeded in %,d ms).

                | measure | first pass (as since issue #4) | second pass (warm JVM) |
                |---|---|---|
                | recommendation latency (GET /api/dispatch/tickets/{id}/recommendations, %,d sequential requests) p50 / p95 / p99 / max | %s | %s |
                | transitions per second (dispatch, acknowledge, arrive, resolve, close; %d tickets, %d clients) | %s | %s |
                | CPU used during the recommendations (cores: service / PostgreSQL / benchmark client and Kafka / other) | %s | %s |
                | CPU used during the transitions (same) | %s | %s |
                """.formatted(scale, pgVersion(jdbc), cpu, units, streets, openTickets, seedMs, samples,
                latencies(lat), latencies(lat2), flows, clients, rate(flow1), rate(flow2), cores(cpu0, cpu1),
                cores(cpu2, cpu3), cores(cpu1, cpu2), cores(cpu3, cpu4));
        Files.writeString(out.resolve("result.md"), report);
        System.out.println(report);
        service.destroy();
        service.waitFor(15, TimeUnit.SECONDS);
        System.exit(0);
    }

    static long[] recommendations(HttpClient http, String base, List<String> probes, int samples) throws Exception {
        phase("recommendations");
        long[] lat = new long[samples];
        for (int i = 0; i < samples; i++) {
            long s = System.nanoTime();
            String probe = probes.get(i % probes.size());
            int code = get(http, base + "/api/dispatch/tickets/" + probe + "/recommendations", dispatcherOf(probe));
            lat[i] = System.nanoTime() - s;
            if (code != 200) {
                throw new IllegalStateException("recommendations answered " + code);
            }
        }
        Arrays.sort(lat);
        return lat;
    }

    /** Dispatch, acknowledge, arrive, resolve, close per ticket, clients in parallel: {transitions, seconds}. */
    static double[] transitions(HttpClient http, String base, List<String> tickets, int clients) throws Exception {
        phase("transitions");
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long f0 = System.nanoTime();
        List<Future<Integer>> done = new ArrayList<>();
        for (String ticket : tickets) {
            done.add(pool.submit(() -> flow(http, base, ticket)));
        }
        int transitions = 0;
        for (Future<Integer> f : done) {
            transitions += f.get();
        }
        double seconds = (System.nanoTime() - f0) / 1e9;
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        return new double[] {transitions, seconds};
    }

    static String latencies(long[] sorted) {
        return "%.1f / %.1f / %.1f / %.1f ms".formatted(ms(sorted, 0.50), ms(sorted, 0.95), ms(sorted, 0.99),
                sorted[sorted.length - 1] / 1e6);
    }

    static String rate(double[] flow) {
        return "%,.0f/s (%,d transitions in %.1f s)".formatted(flow[0] / flow[1], (int) flow[0], flow[1]);
    }

    /**
     * CPU time so far (Linux /proc, clock ticks) of {wall ns, the service, PostgreSQL's processes, this
     * JVM (client and Kafka broker), everything else}: where the 2 cores went during a phase.
     */
    static long[] cpu(long servicePid) {
        long[] t = new long[5];
        t[0] = System.nanoTime();
        long self = ProcessHandle.current().pid();
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path d : dirs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                try {
                    String stat = Files.readString(d.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    long pid = Long.parseLong(d.getFileName().toString());
                    t[pid == servicePid ? 1 : comm.startsWith("postgres") ? 2 : pid == self ? 3 : 4] += ticks;
                } catch (IOException | RuntimeException gone) {
                    // the process ended meanwhile
                }
            }
        } catch (IOException e) {
            return t; // not Linux: no breakdown
        }
        return t;
    }

    static String cores(long[] from, long[] to) {
        double seconds = (to[0] - from[0]) / 1e9;
        return "%.2f / %.2f / %.2f / %.2f".formatted((to[1] - from[1]) / 100.0 / seconds,
                (to[2] - from[2]) / 100.0 / seconds, (to[3] - from[3]) / 100.0 / seconds,
                (to[4] - from[4]) / 100.0 / seconds);
    }

    /** Wall-clock phase marks, to line up a profile or CPU samples with the phases. */
    static void phase(String name) {
        System.out.println("bench phase " + name + " at " + java.time.Instant.now());
    }

    static int flow(HttpClient http, String base, String ticket) throws Exception {
        String dispatcher = dispatcherOf(ticket);
        String recs = body(http, base + "/api/dispatch/tickets/" + ticket + "/recommendations", dispatcher);
        int at = recs.indexOf("\"unitId\":\"");
        if (at < 0) {
            throw new IllegalStateException("no recommendation for " + ticket);
        }
        String unit = recs.substring(at + 10, recs.indexOf('"', at + 10));
        String view = post(http, base + "/api/dispatch/tickets/" + ticket + "/dispatch", dispatcher,
                "{\"units\":[{\"unitId\":\"" + unit + "\",\"role\":\"LEAD\"}]}");
        int a = view.indexOf("\"assignments\":[{\"id\":\"");
        String assignment = view.substring(a + 22, a + 58);
        String member = memberToken(unit);
        post(http, base + "/api/field/assignments/" + assignment + "/acknowledge", member, "");
        post(http, base + "/api/field/assignments/" + assignment + "/arrive", member, "");
        post(http, base + "/api/field/assignments/" + assignment + "/resolve", member,
                "{\"outcome\":\"SOLVED\",\"note\":\"bench\"}");
        post(http, base + "/api/dispatch/tickets/" + ticket + "/close", dispatcher, "");
        return 5;
    }

    /** Probe ticket id → its street, so each request goes out as that street's dispatcher. */
    static final Map<String, String> STREET_OF = new ConcurrentHashMap<>();
    private static final Map<String, String> BEARERS = new ConcurrentHashMap<>();

    /** "Bearer ..." of the street's dispatcher (the console's requests are scoped by street). */
    static String dispatcherToken(String street) {
        return BEARERS.computeIfAbsent("street:" + street,
                k -> TestTokens.bearer(TestTokens.dispatcher("bench-" + street, street)));
    }

    static String dispatcherOf(String ticket) {
        return dispatcherToken(STREET_OF.get(ticket));
    }

    /** "Bearer ..." of the unit's member m1 (the roster seeded above has him). */
    static String memberToken(String unit) {
        return BEARERS.computeIfAbsent("unit:" + unit, k -> TestTokens.bearer(TestTokens.field(unit + "-m1", unit)));
    }

    static List<String> newTickets(String jdbc, int streets, int n) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(jdbc + "?currentSchema=dispatch", TestInfra.pgUser(),
                TestInfra.pgPassword()); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("insert into dispatch_ticket (id, street, grid, category, complexity, "
                    + "address, latitude, longitude, stage, reported_at, received_at) select gen_random_uuid(), 'b' || ((i * 7) % "
                    + streets + "), 'b' || ((i * 7) % " + streets + ") || '-g' || (i % 10), (array['"
                    + String.join("','", CATEGORIES) + "'])[i % 10 + 1], 'SIMPLE', 'probe ' || i, 30.55, 119.95, 'NEW', "
                    + "now(), now() from generate_series(0, " + (n - 1) + ") i returning id, street")) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                    STREET_OF.put(rs.getString(1), rs.getString(2));
                }
            }
            st.execute("analyze dispatch_ticket");
        }
        return ids;
    }

    static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    static String pgVersion(String jdbc) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc, TestInfra.pgUser(), TestInfra.pgPassword());
                Statement st = c.createStatement(); ResultSet rs = st.executeQuery("show server_version")) {
            rs.next();
            return rs.getString(1);
        }
    }

    static int get(HttpClient http, String url, String authorization) throws IOException, InterruptedException {
        return http.send(request(url, authorization).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static String body(HttpClient http, String url, String authorization) throws IOException, InterruptedException {
        return http.send(request(url, authorization).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    static String post(HttpClient http, String url, String authorization, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = request(url, authorization).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    private static HttpRequest.Builder request(String url, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    static void awaitReady(HttpClient http, String base, Process service) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new IllegalStateException("service exited with " + service.exitValue());
            }
            try {
                if (get(http, base + "/q/health/ready", null) == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException("service not ready within 90 s");
    }
}

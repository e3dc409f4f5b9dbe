package org.hotline.loadgen;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.HdrHistogram.Histogram;

import com.fasterxml.jackson.databind.JsonNode;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar deploy/loadgen/target/loadgen.jar --rate 200 --duration 60s --seed 42 --out target/load-report}
 *
 * <p>Drives the running system (deploy/run.sh) through its public APIs and upstream Kafka feeds with
 * the scenario's mix, plays the command room, the field teams and the follow-up calls, then measures
 * from the events' and databases' own times and writes the report folder.
 */
@Command(name = "loadgen", mixinStandardHelpOptions = true, version = "loadgen 0.1",
        subcommands = {JfrSummary.class},
        description = {"Load generator and end-to-end benchmark of the running hotline system.",
                "Needs the four services (deploy/run.sh), the broker and read access to the database.",
                "Ticket creation over REST needs the per-user rate limit lifted: INTAKE_RATE_LIMIT_ENABLED=false for intake."})
public final class LoadGen implements Callable<Integer> {

    @Option(names = "--rate", defaultValue = "200", description = "reports per second, all channels together (default ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--duration", defaultValue = "60s", converter = DurationConverter.class,
            description = "how long reports are sent, e.g. 60s, 2m (default ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--seed", defaultValue = "42", description = "the scenario's seed: the same seed gives the same mix (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", defaultValue = "target/load-report", description = "report folder (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--steady-skip", defaultValue = "10s", converter = DurationConverter.class,
            description = "left out of the steady-window figures at the start (JIT warm-up; default ${DEFAULT-VALUE})")
    Duration steadySkip;

    @Option(names = "--drain", defaultValue = "90s", converter = DurationConverter.class,
            description = "after the last report, wait at most this long for every ticket to be dispatched, armed and notified (default ${DEFAULT-VALUE})")
    Duration drain;

    @Option(names = "--mix", defaultValue = "rest=0.6,110=0.2,12345=0.2",
            description = "shares of the channels: operators over REST, the 110 hand-over feed, the 12345 platform feed (default ${DEFAULT-VALUE})")
    String mix;

    @Option(names = "--repeat-share", defaultValue = "0.05", description = "reports by a caller who called within the last ~20 s (default ${DEFAULT-VALUE})")
    double repeatShare;

    @Option(names = "--coords-share", defaultValue = "0.02",
            description = "reports with coordinates (intake's proximity match of 100 m turns most same-category reports with coordinates in one street into repeats; default ${DEFAULT-VALUE})")
    double coordsShare;

    @Option(names = "--late-take-share", defaultValue = "0.02", description = "tickets the command room takes only after the RESPOND deadline (default ${DEFAULT-VALUE})")
    double lateTakeShare;

    @Option(names = "--follow-up-share", defaultValue = "0.3", description = "closed tickets whose caller is called back (default ${DEFAULT-VALUE})")
    double followUpShare;

    @Option(names = "--dissatisfied-share", defaultValue = "0.1", description = "of those, callers who are dissatisfied: the ticket reopens (default ${DEFAULT-VALUE})")
    double dissatisfiedShare;

    @Option(names = "--no-show-share", defaultValue = "0.05", description = "units whose members acknowledge but never arrive (default ${DEFAULT-VALUE})")
    double noShowShare;

    @Option(names = "--field-pace", defaultValue = "1.0", description = "multiplies the field teams' and command room's delays (acknowledge 0.5–3 s, arrive 1–5 s, resolve 1–6 s; default ${DEFAULT-VALUE})")
    double fieldPace;

    @Option(names = "--sla-scale", defaultValue = "1.0",
            description = "below 1: publish LOAD-13830, 13830 with every limit and escalation delay times this, and select it for the street's SIMPLE tickets (admin API), so breaches fall inside a short run (default ${DEFAULT-VALUE}: the real policy, untouched)")
    double slaScale;

    @Option(names = "--load-units", defaultValue = "40", description = "units of the load to create or update in the street (admin API), beside the demo units (default ${DEFAULT-VALUE})")
    int loadUnits;

    @Option(names = "--unit-capacity", defaultValue = "100", description = "open assignments each load unit takes (1–100; default ${DEFAULT-VALUE})")
    int unitCapacity;

    @Option(names = "--street", defaultValue = "wukang", description = "the demo street (default ${DEFAULT-VALUE})")
    String street;

    @Option(names = "--intake-url", defaultValue = "http://127.0.0.1:8101") String intakeUrl;
    @Option(names = "--dispatch-url", defaultValue = "http://127.0.0.1:8102") String dispatchUrl;
    @Option(names = "--sla-url", defaultValue = "http://127.0.0.1:8103") String slaUrl;
    @Option(names = "--notification-url", defaultValue = "http://127.0.0.1:8104") String notificationUrl;
    @Option(names = "--kafka", defaultValue = "127.0.0.1:9092") String kafka;

    @Option(names = "--jdbc", defaultValue = "jdbc:postgresql://127.0.0.1:5432/hotline",
            description = "the services' database, read after the run (default ${DEFAULT-VALUE})")
    String jdbc;

    @Option(names = "--db-user", defaultValue = "postgres") String dbUser;
    @Option(names = "--db-password", defaultValue = "") String dbPassword;

    @Option(names = "--key", defaultValue = "deploy/dev-jwt/private.pem", description = "the development signing key (default ${DEFAULT-VALUE})")
    Path key;

    @Option(names = "--issuer", defaultValue = "https://hotline.local/dev") String issuer;
    @Option(names = "--audience", defaultValue = "hotline") String audience;

    @Option(names = "--max-in-flight", defaultValue = "64",
            description = "open ticket-creation requests at most: the operators' seats (default ${DEFAULT-VALUE})")
    int maxInFlight;

    @Option(names = "--people-threads", defaultValue = "64", description = "concurrent requests of the command room, field teams and operators' follow-ups (default ${DEFAULT-VALUE})")
    int peopleThreads;

    @Option(names = "--pgbench-seconds", defaultValue = "0", description = "after the load, pgbench single-row inserts for this long with 32 clients and with 1 (0: skip)")
    int pgbenchSeconds;

    @Option(names = "--pids", split = ",", description = "processes to account CPU to, name=pid (e.g. intake-service=1234)")
    Map<String, Long> pids = new LinkedHashMap<>();

    @Option(names = "--sink-port", defaultValue = "0", description = "serve an SMS/webhook sink on 127.0.0.1:<port> that answers 200 (0: none)")
    int sinkPort;

    @Option(names = "--run-tag", description = "tag of this run in upstream references and phone numbers (default: the start time)")
    String runTag;

    @Option(names = "--no-people",
            description = "send the reports only: no command room, field teams or follow-up calls (the pipeline alone: receipt, dispatch, clocks, notification)")
    boolean noPeople;

    @Option(names = "--no-progress", description = "plain status lines every 10 s instead of the progress bar (for logs)")
    boolean noProgress;

    @Option(names = "--command-line", hidden = true, description = "the command to print in the report (set by deploy/bench-e2e.sh)")
    String commandLine;

    private static String[] ARGS = new String[0];

    public static void main(String[] args) {
        ARGS = args.clone();
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
        System.setProperty("java.awt.headless", "true");
        int rc = new CommandLine(new LoadGen()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        System.exit(rc);
    }

    @Override
    public Integer call() throws Exception {
        if (rate <= 0 || duration.isZero() || duration.isNegative()) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--rate and --duration must be positive");
        }
        Map<String, Double> shares = parseMix(mix);
        String tag = runTag != null ? runTag : DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
        int loadSeconds = (int) Math.ceil(duration.toMillis() / 1000.0);
        int totalSeconds = loadSeconds + (int) drain.toSeconds() + 30;
        long planned = (long) Math.floor(rate * duration.toMillis() / 1000.0);

        ExecutorService httpThreads = Executors.newFixedThreadPool(4, daemon("loadgen-http"));
        ExecutorService people = Executors.newFixedThreadPool(peopleThreads, daemon("loadgen-people"));
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, daemon("loadgen-timer"));
        Api setupApi = new Api(new Stats(1, System.nanoTime()), httpThreads, Duration.ofSeconds(60));
        Tokens tokens = Tokens.fromPem(key, issuer, audience);
        Sink sink = sinkPort > 0 ? Sink.start(sinkPort) : null;
        List<String> notes = new ArrayList<>();

        log("waiting for the four services to be ready");
        awaitReady(setupApi, List.of(intakeUrl, dispatchUrl, slaUrl, notificationUrl));
        Setup setup = new Setup(setupApi, tokens, intakeUrl, dispatchUrl, slaUrl);
        List<Setup.Category> catalogue = setup.catalogue();
        JsonNode units = setup.units(street);
        List<Scenario.Grid> grids = Setup.grids(units);
        log("catalogue: " + catalogue.size() + " categories; street " + street + ": " + units.size() + " units, grids "
                + grids.stream().map(Scenario.Grid::id).toList());
        StringBuilder setupText = new StringBuilder(units.size() + " units already in " + street);
        if (loadUnits > 0) {
            List<String> made = setup.provisionUnits(street, grids, catalogue, loadUnits, unitCapacity);
            log("load units ready: " + made.size() + " (capacity " + unitCapacity + " each)");
            setupText.append(", ").append(made.size()).append(" load units (lg-*, capacity ").append(unitCapacity)
                    .append(", every grid, every category of their type)");
        }
        if (slaScale < 1.0) {
            Map<String, Long> limits = setup.compressPolicy(street, slaScale);
            log("policy " + Setup.SCALED_POLICY + " published for the street's SIMPLE tickets: " + limits);
            setupText.append("; SLA policy ").append(Setup.SCALED_POLICY).append(" (13830 × ").append(slaScale)
                    .append(": ").append(limits).append(" ms) chosen for the street's SIMPLE tickets");
            notes.add("SIMPLE tickets ran on " + Setup.SCALED_POLICY + ", 13830 with every limit and escalation delay × "
                    + slaScale + ", so that warnings, breaches and escalations fall inside the run: as many timers per ticket as "
                    + "13830, fired sooner (more timer work per second than real time, not less).");
        } else {
            setupText.append("; SLA policies as they are (13830 for SIMPLE tickets)");
        }
        Map<String, String> categories = new LinkedHashMap<>();
        catalogue.forEach(c -> categories.put(c.code(), c.defaultComplexity()));
        Scenario scenario = new Scenario(seed, tag, street, grids, categories, new Scenario.Settings(shares.get("rest"),
                shares.get("110"), shares.get("12345"), repeatShare, coordsShare, lateTakeShare, followUpShare,
                dissatisfiedShare, noShowShare, fieldPace, slaScale < 1.0 ? slaScale : 1.0, rate));
        List<String> noShows = new ArrayList<>();
        for (JsonNode u : setup.units(street)) {
            if (scenario.noShow(u.path("unitId").asText())) {
                noShows.add(u.path("unitId").asText());
            }
        }
        setupText.append("; no-show units: ").append(noShows.isEmpty() ? "none" : String.join(", ", noShows));

        Stats stats = new Stats(totalSeconds + 600, System.nanoTime());
        Api api = new Api(stats, httpThreads, Duration.ofSeconds(60));
        Observations obs = new Observations();
        People ppl = new People(scenario, obs, api, tokens, timer, people, intakeUrl, dispatchUrl, street);
        if (noPeople) {
            ppl.stopActing();
            setupText.append("; --no-people: nobody takes, contacts, acknowledges, arrives, resolves, closes or calls back");
        }
        EventTap tap = new EventTap(kafka, ppl::onEvent);
        tap.start();
        timer.scheduleAtFixedRate(ppl::purgeParked, 10, 10, TimeUnit.SECONDS);
        Map<String, Long> cpuPids = new LinkedHashMap<>(pids);
        ProcSampler proc = ProcSampler.available() ? new ProcSampler(cpuPids) : null;
        Callers callers = new Callers(scenario, api, tokens, stats, obs, ppl, intakeUrl, kafka, street, maxInFlight);

        // the load's clock: the first report is due 1 s from now, the samplers start with it
        long startNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        stats.begin(startNanos);
        long wait = startNanos - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
        Instant start = Instant.now();
        if (proc != null) {
            proc.start();
        }
        log(String.format(Locale.ROOT, "run %s: %,d reports at %.1f/s for %d s (seed %d)", tag, planned, rate, loadSeconds, seed));
        AtomicBoolean sending = new AtomicBoolean(true);
        Thread monitor = monitor(stats, obs, ppl, planned, sending);
        long sent = callers.run(planned, rate, startNanos, startNanos + duration.toNanos() + TimeUnit.SECONDS.toNanos(1));
        if (sent < planned) {
            notes.add(String.format(Locale.ROOT, "Only %,d of the %,d planned reports were sent within the run's %d s: the client had %d ticket creations open "
                    + "(--max-in-flight) and the system answered more slowly than the offered rate; the rest were not sent.", sent, planned,
                    loadSeconds, maxInFlight));
        }
        sending.set(false);
        callers.awaitAnswers(60, maxInFlight);
        monitor.join(3_000);
        log(String.format(Locale.ROOT, "load done: %,d reports sent in %.1f s; draining (at most %d s)", sent,
                Duration.between(start, Instant.now()).toMillis() / 1000.0, drain.toSeconds()));

        // drain: until every ticket is dispatched, armed and notified, or the drain time is up
        DbProbe db = new DbProbe(jdbc, dbUser, dbPassword);
        long drainEnd = System.nanoTime() + drain.toNanos();
        long lastLog = 0;
        int[] lastProgress = {0, 0};
        while (System.nanoTime() < drainEnd) {
            List<Observations.Ticket> received = obs.received();
            long undispatched = received.stream().filter(t -> t.dispatchedAt == null).count();
            long unresolved = sent - obs.outcomes.size();
            int[] p = lastLog == 0 || System.nanoTime() - lastLog > 4_000_000_000L ? db.progress(start) : lastProgress;
            lastProgress = p;
            boolean done = unresolved <= 0 && undispatched == 0 && p[0] >= received.size() && p[1] >= received.size();
            if (System.nanoTime() - lastLog > 5_000_000_000L || done) {
                log(String.format(Locale.ROOT, "drain: %,d tickets; not yet dispatched %,d, armed %,d, notified %,d; reports without outcome %,d; people queue %,d",
                        received.size(), undispatched, received.size() - p[0], received.size() - p[1], unresolved, ppl.queued()));
                lastLog = System.nanoTime();
            }
            if (done) {
                break;
            }
            Thread.sleep(1_000);
        }
        ppl.stopActing();
        Thread.sleep(2_000); // the last events of requests in flight
        tap.close();
        if (proc != null) {
            proc.close();
        }
        callers.close();

        List<Observations.Ticket> received = obs.received();
        db.fill(received);
        Map<String, Long> notifications = db.notificationMix(received);
        String postgres = db.serverInfo();
        db.close();
        List<Pgbench.Result> pg = new ArrayList<>();
        if (pgbenchSeconds > 0) {
            if (Pgbench.available()) {
                log("pgbench: " + pgbenchSeconds + " s with 32 clients, then 1");
                pg = new Pgbench(jdbc, dbUser, dbPassword).run(pgbenchSeconds, 32, 1);
            } else {
                notes.add("pgbench is not installed (Debian: postgresql-contrib): no PostgreSQL ceiling in this report.");
            }
        }
        if (obs.counter("create refused 429") > 0) {
            notes.add(obs.counter("create refused 429") + " ticket creations were refused with 429: lift intake's per-user rate limit for load runs (INTAKE_RATE_LIMIT_ENABLED=false).");
        }
        if (sink != null) {
            notes.add("SMS/webhook sink on port " + sinkPort + " received " + sink.counts());
            sink.close();
        }
        if (stats.errors.sum() > 0) {
            notes.add(stats.errors.sum() + " requests failed (see the client table).");
        }
        Analysis analysis = new Analysis(start, loadSeconds, (int) steadySkip.toSeconds(), totalSeconds, received);
        Report.RunInfo info = new Report.RunInfo(commandLine != null ? commandLine : "java -jar deploy/loadgen/target/loadgen.jar "
                + String.join(" ", ARGS),
                start.toString(), machine(), System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                postgres, rate, loadSeconds, seed, tag, planned, sent, setupText.toString(), scenario.mixOf(Math.min(planned, 200_000)));
        List<Map<String, Double>> cpu = proc == null ? List.of() : proc.snapshot();
        Report.write(out, info, analysis, stats, obs, cpu, proc == null ? List.of() : proc.groups(), pg, notifications, notes);
        log("report: " + out.resolve("report.md").toAbsolutePath());
        Analysis.Dist d = analysis.steadyDists.get("receipt → dispatched");
        Analysis.Dist nt = analysis.steadyDists.get("receipt → dispatch notice sent");
        log(String.format(Locale.ROOT, "sustained %.1f tickets/s complete (received %.1f/s); receipt → dispatched p50 %s p99 %s ms; → notified p50 %s p99 %s ms",
                analysis.sustainedPerSecond, analysis.receivedPerSecond, Report.ms(d.p50()), Report.ms(d.p99()),
                Report.ms(nt.p50()), Report.ms(nt.p99())));
        timer.shutdownNow();
        people.shutdownNow();
        httpThreads.shutdownNow();
        return 0;
    }

    private Thread monitor(Stats stats, Observations obs, People ppl, long planned, AtomicBoolean sending) {
        Thread t = new Thread(() -> {
            long lastSent = 0;
            long lastNanos = System.nanoTime();
            ProgressBar bar = noProgress ? null
                    : new ProgressBarBuilder().setTaskName("reports").setInitialMax(planned)
                            .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).setMaxRenderedLength(150).build();
            int tick = 0;
            try {
                while (sending.get()) {
                    Thread.sleep(1_000);
                    long now = System.nanoTime();
                    long s = stats.sent.sum();
                    double perSecond = (s - lastSent) / ((now - lastNanos) / 1e9);
                    lastSent = s;
                    lastNanos = now;
                    Histogram h = stats.createInterval.getIntervalHistogram();
                    long dispatched = obs.tickets().stream().filter(x -> x.dispatchedAt != null).count();
                    String msg = String.format(Locale.ROOT, "sent/s %.0f | errors %d | create p50 %s p99 %s ms | dispatched %d | people queue %d",
                            perSecond, stats.errors.sum(), h.getTotalCount() == 0 ? "–" : Report.ms(h.getValueAtPercentile(50) / 1000.0),
                            h.getTotalCount() == 0 ? "–" : Report.ms(h.getValueAtPercentile(99) / 1000.0), dispatched, ppl.queued());
                    if (bar != null) {
                        bar.stepTo(s);
                        bar.setExtraMessage(msg);
                    } else if (++tick % 10 == 0) {
                        log(String.format(Locale.ROOT, "%,d/%,d sent | %s", s, planned, msg));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                if (bar != null) {
                    bar.stepTo(stats.sent.sum());
                    bar.close();
                }
            }
        }, "loadgen-progress");
        t.setDaemon(true);
        t.start();
        return t;
    }

    static Map<String, Double> parseMix(String mix) {
        Map<String, Double> m = new LinkedHashMap<>(Map.of("rest", 0.0, "110", 0.0, "12345", 0.0));
        for (String part : mix.split(",")) {
            String[] kv = part.trim().split("=");
            if (kv.length != 2 || !m.containsKey(kv[0].trim())) {
                throw new IllegalArgumentException("--mix: expected rest=…,110=…,12345=…, got '" + part + "'");
            }
            m.put(kv[0].trim(), Double.parseDouble(kv[1].trim()));
        }
        if (m.values().stream().mapToDouble(Double::doubleValue).sum() <= 0) {
            throw new IllegalArgumentException("--mix: the shares add up to nothing");
        }
        return m;
    }

    private static void awaitReady(Api api, List<String> bases) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        for (String b : bases) {
            while (api.status(b + "/q/health/ready") != 200) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(b + " is not ready (is deploy/run.sh running?)");
                }
                Thread.sleep(500);
            }
        }
    }

    static String machine() {
        String cpu = "";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("");
        } catch (Exception e) {
            // not Linux
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "?";
        }
        return Runtime.getRuntime().availableProcessors() + " × " + (cpu.isEmpty() ? "cpu" : cpu) + ", "
                + (Runtime.getRuntime().maxMemory() > 0 ? "" : "") + System.getProperty("os.name") + " (" + host + ")";
    }

    static void log(String s) {
        System.err.println("[loadgen " + DateTimeFormatter.ISO_LOCAL_TIME.withZone(ZoneOffset.UTC).format(Instant.now()).substring(0, 8) + "Z] " + s);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** "60s", "2m", "1m30s", "500ms", or ISO-8601 "PT60S". */
    public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (v.startsWith("pt")) {
                return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
            }
            if (v.matches("\\d+")) {
                return Duration.ofSeconds(Long.parseLong(v));
            }
            if (v.matches("\\d+ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.matches("(\\d+h)?(\\d+m)?(\\d+s)?") && !v.isEmpty()) {
                return Duration.parse("PT" + v.toUpperCase(Locale.ROOT));
            }
            throw new CommandLine.TypeConversionException("not a duration: '" + value + "' (e.g. 60s, 2m, 1m30s, 500ms)");
        }
    }
}

package org.hotline.bench.sla;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static java.nio.charset.StandardCharsets.UTF_8;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.hotline.backbone.testing.TestInfra;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * This service's timer engine, run as the real packaged service (quarkus-run.jar) against its own
 * database and the in-JVM Kafka broker. (a) is its real path: {@code ticket.received} records
 * produced to its input topic, consumed and armed by the service. For (b) and (c) the timers are
 * bulk-written straight into its tables (schema sla), shaped as ClockService writes them for policy
 * 13830 (four RUNNING stage clocks per ticket, each with a warning, a breach and three escalation
 * timers), and a fire counts when its outbox row exists: the row's {@code created_at} is its time.
 */
final class OurEngineBench {

    static final String NAME = "sla-timer-service TimerEngine";

    /** Partitions of the input topic: as TopicBootstrap creates it (hotline.kafka.partitions). */
    private static final int PARTITIONS = 6;
    private static final String[] STAGES = {"RESPOND", "DISPATCH_CONTACT", "ON_SCENE", "RESOLVE"};
    /** Policy 13830 v1 as seeded in V1__sla.sql: time allowed per stage, warning at 80%. */
    private static final Duration[] ALLOWED = {Duration.ofMinutes(1), Duration.ofMinutes(3), Duration.ofMinutes(8),
            Duration.ofMinutes(30)};
    /** Its escalation ladders: levels 1..3, minutes after the deadline. */
    private static final long[][] LADDER_MINUTES = {{0, 2, 5}, {0, 3, 10}, {0, 5, 15}, {0, 30, 120}};
    private static final String STAGE_VALUES = "(values ('RESPOND', 0, interval '1 minute'),"
            + " ('DISPATCH_CONTACT', 1, interval '3 minutes'), ('ON_SCENE', 2, interval '8 minutes'),"
            + " ('RESOLVE', 3, interval '30 minutes')) s(stage, ord, allowed)";
    private static final String CLOCK_COLUMNS = "ticket_id, stage, ordinal, policy_id, policy_code, policy_version,"
            + " street, category, started_at, warn_at, deadline, state, escalation_level";

    private final BenchSettings s;
    private final Path root;
    private final Path out;
    private final String kafka;
    private final SystemResult r = new SystemResult(BenchSettings.OURS, NAME);
    /** Input topic of this run: a fresh one, so no record of an earlier run (or its offsets) is replayed. */
    private final String ticketTopic;
    private String db;
    private ServiceUnderTest svc;
    private Connection c;
    private long policy;

    private OurEngineBench(BenchSettings s, int run, Path root, Path out, String kafka) {
        this.s = s;
        this.r.run = run;
        this.ticketTopic = "ticket-events-bench-" + run + "-" + Long.toString(System.currentTimeMillis(), 36);
        this.root = root;
        this.out = out;
        this.kafka = kafka;
    }

    static SystemResult run(BenchSettings s, int run, Path root, Path out, String kafka, List<SystemResult> sink) {
        OurEngineBench b = new OurEngineBench(s, run, root, out, kafka);
        sink.add(b.r);
        try {
            b.run();
        } catch (Exception e) {
            b.r.error = e.toString();
            Log.info("ours failed: " + e);
            e.printStackTrace(System.out);
        }
        return b.r;
    }

    private void run() throws Exception {
        db = Cleanup.database("ours");
        try {
            createTopic();
            startService();
            c = Pg.connect(db, "sla");
            policy = Pg.queryLong(c, "select id from policy where code = '13830' and version = 1");
            armThroughConsumer();
            armBatched();
            armRowByRow();
            Pg.vacuumAnalyze(db, "sla", "stage_clock", "timer");
            burst();
            pending();
            measured();
            explain();
        } finally {
            if (c != null) {
                c.close();
            }
            if (svc != null) {
                svc.stop();
            }
            Cleanup.drop(db);
        }
    }

    private void startService() throws Exception {
        Path jar = root.resolve("sla-timer-service/target/quarkus-app/quarkus-run.jar");
        List<String> jvm = new ArrayList<>(s.jvmOptions(root));
        jvm.addAll(s.serviceOpts);
        if (s.jfr) {
            jvm.add("-XX:StartFlightRecording=filename=" + out.resolve("ours.jfr") + ",settings=profile");
        }
        Map<String, String> env = Map.of("DB_HOST", TestInfra.pgHost(), "DB_PORT", String.valueOf(TestInfra.pgPort()),
                "DB_NAME", db, "DB_USER", TestInfra.pgUser(), "DB_PASSWORD", TestInfra.pgPassword(),
                "KAFKA_BOOTSTRAP_SERVERS", kafka, "SLA_TOPICS_TICKET_EVENTS", ticketTopic, "MALLOC_ARENA_MAX", "2");
        long t0 = System.nanoTime();
        svc = ServiceUnderTest.start(jar, jvm, env, out.resolve("sla-timer-service.log"));
        svc.awaitReady(Duration.ofSeconds(120));
        Log.info(String.format("ours: service ready in %.1f s (Flyway created schema sla)", Util.secondsSince(t0)));
    }

    // ---------------------------------------------------------------- (a) arming

    /** As TopicBootstrap creates the service's topics: 6 partitions (hotline.kafka.partitions), one replica. */
    private void createTopic() throws Exception {
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            admin.createTopics(List.of(new NewTopic(ticketTopic, PARTITIONS, (short) 1))).all().get(30,
                    TimeUnit.SECONDS);
        }
    }

    /** A ticket.received CloudEvent: the documented example with its ids, times and complexity set. */
    private static String ticketReceived(ObjectNode example, UUID ticket, Instant reportedAt) {
        ObjectNode e = example.deepCopy();
        e.put("id", UUID.randomUUID().toString());
        e.put("subject", ticket.toString());
        e.put("time", Instant.now().toString());
        ObjectNode d = (ObjectNode) e.get("data");
        d.put("ticketId", ticket.toString());
        d.put("complexity", "SIMPLE"); // policy rule 30: 13830, four stages, 5 timers each
        d.put("street", "bench-arm");
        d.put("reportedAt", reportedAt.toString());
        d.put("receivedAt", reportedAt.plusSeconds(20).toString());
        return e.toString();
    }

    private List<ProducerRecord<String, String>> tickets(ObjectNode example, int n, Instant reportedAt) {
        List<UUID> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(UUID.randomUUID());
        }
        return records(example, ids, reportedAt);
    }

    /**
     * Two tickets per partition of the input topic (the producer's default partitioner: murmur2 of
     * the key): the consumer's first record on a partition costs it about a second (SmallRye sets up
     * that partition's commit tracking), a start-up cost a running service has long paid.
     */
    private List<ProducerRecord<String, String>> warmUp(ObjectNode example, Instant reportedAt) {
        int[] perPartition = new int[PARTITIONS];
        List<UUID> ids = new ArrayList<>();
        while (ids.size() < 2 * PARTITIONS) {
            UUID id = UUID.randomUUID();
            int p = Utils.toPositive(Utils.murmur2(id.toString().getBytes(UTF_8))) % PARTITIONS;
            if (perPartition[p] < 2) {
                perPartition[p]++;
                ids.add(id);
            }
        }
        return records(example, ids, reportedAt);
    }

    private List<ProducerRecord<String, String>> records(ObjectNode example, List<UUID> ids, Instant reportedAt) {
        List<ProducerRecord<String, String>> out = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            UUID ticket = ids.get(i);
            // as intake's outbox relay sends it: keyed by ticket id, CloudEvents content type and ce_type headers
            ProducerRecord<String, String> rec = new ProducerRecord<>(ticketTopic, ticket.toString(),
                    ticketReceived(example, ticket, reportedAt.plusMillis(i)));
            rec.headers().add("content-type", "application/cloudevents+json; charset=UTF-8".getBytes(UTF_8));
            rec.headers().add("ce_type", "ticket.received".getBytes(UTF_8));
            out.add(rec);
        }
        return out;
    }

    /**
     * The service's own arming path: {@code ticket.received} records on its input topic, consumed,
     * deduplicated and armed by the service (ClockService.onTicketReceived), timed from the first
     * send until all their timers are committed in schema sla (a count polled every 20 ms). The
     * tickets were reported a day ahead, so nothing fires meanwhile. A warm-up first (two tickets on
     * every partition): the consumer has read each partition once, and the timers per ticket are
     * counted, not assumed.
     */
    private void armThroughConsumer() throws Exception {
        ObjectNode example = (ObjectNode) new ObjectMapper().readTree(
                Files.readString(root.resolve("docs/schemas/examples/ticket.received.json")));
        Map<String, Object> cfg = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        Instant reported = Instant.now().plus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(cfg)) {
            List<ProducerRecord<String, String>> warmUp = warmUp(example, reported.minusSeconds(3600));
            int warm = warmUp.size();
            for (ProducerRecord<String, String> rec : warmUp) {
                producer.send(rec);
            }
            producer.flush();
            Instant warmCap = Instant.now().plusSeconds(90);
            while (Pg.queryLong(c, "select count(distinct ticket_id) from timer") < warm) {
                if (Instant.now().isAfter(warmCap)) {
                    throw new IllegalStateException("the service armed no clocks for the warm-up tickets within 90 s"
                            + " (topic " + ticketTopic + "); see " + out.resolve("sla-timer-service.log"));
                }
                Thread.sleep(50);
            }
            long before = Pg.queryLong(c, "select count(*) from timer");
            long perTicket = before / warm;
            int tickets = s.armTimers / 20;
            long expected = before + tickets * perTicket;
            List<ProducerRecord<String, String>> records = tickets(example, tickets, reported);
            long t0 = System.nanoTime();
            long cap = t0 + s.armCap.toNanos();
            long now;
            double sent;
            try (Probe probe = Probe.start(db, svc.pid())) {
                for (ProducerRecord<String, String> rec : records) {
                    producer.send(rec);
                }
                producer.flush();
                sent = Util.secondsSince(t0);
                long lastLog = System.nanoTime();
                long lastCount = before;
                StringBuilder progress = new StringBuilder();
                while ((now = Pg.queryLong(c, "select count(*) from timer")) < expected && System.nanoTime() < cap) {
                    if (System.nanoTime() - lastLog >= 1_000_000_000L) {
                        // the rate second by second: a fresh JVM's first seconds are its JIT's
                        double dt = (System.nanoTime() - lastLog) / 1e9;
                        progress.append(String.format(Locale.ROOT, " %,.0f", (now - lastCount) / dt));
                        lastLog = System.nanoTime();
                        lastCount = now;
                    }
                    Thread.sleep(20);
                }
                r.armSeconds = Util.secondsSince(t0);
                if (progress.length() > 0) {
                    r.note("(a) timers armed per second, second by second:" + progress);
                    Log.info("ours: (a) timers armed per second, second by second:" + progress);
                }
                r.armCpu = probe.cpu(r, "(a) arming");
                r.armActivity.addAll(probe.topActivity(8));
            }
            r.armed = now - before;
            r.armCapped = now < expected;
            r.armMethod = String.format(Locale.ROOT, "Through the consumer: %,d ticket.received records produced to"
                    + " the service's input topic (%d partitions, keyed by ticket id; all sent in %.2f s), consumed and"
                    + " armed by the service (%d timers per ticket, policy 13830), timed from the first send until all"
                    + " their timers were committed; after a warm-up of %d tickets, two per partition", tickets,
                    PARTITIONS, sent, perTicket, warm);
            Log.info(String.format("ours: armed %d timers through the consumer in %.2f s (%d tickets sent in %.2f s)%s",
                    r.armed, r.armSeconds, tickets, sent, r.armCapped ? " (bound reached)" : ""));
        }
    }

    private static final String INSERT_CLOCK = "insert into stage_clock (ticket_id, stage, ordinal, policy_id,"
            + " policy_code, policy_version, street, category, started_at, warn_at, deadline, state, met_at,"
            + " escalation_level, outcome, unit_type) values (?, ?, ?, ?, '13830', 1, 'bench-arm', 'bench', ?, ?, ?, ?,"
            + " null, 0, null, null)";
    private static final String INSERT_TIMER = "insert into timer (clock_id, ticket_id, kind, level, due_at, fired_at,"
            + " lateness_ms, cancelled) values (?, ?, ?, ?, ?, null, null, false)";

    /**
     * Per ticket one transaction, as ClockService.onTicketReceived: the existence check, the four
     * clocks (one batch, ids returned), their twenty timers (one batch), commit.
     */
    private void armBatched() throws SQLException {
        int tickets = s.armTimers / 20;
        Instant base = Instant.now().plus(Duration.ofDays(1));
        c.setAutoCommit(false);
        long t0 = System.nanoTime();
        long cap = t0 + s.armCap.toNanos();
        int done = 0;
        try (PreparedStatement exists = c.prepareStatement("select count(*) from stage_clock where ticket_id = ?");
                PreparedStatement clock = c.prepareStatement(INSERT_CLOCK, new String[] {"id"});
                PreparedStatement timer = c.prepareStatement(INSERT_TIMER)) {
            for (int k = 0; k < tickets; k++) {
                UUID ticket = UUID.randomUUID();
                Instant receipt = base.plusMillis(k);
                exists.setObject(1, ticket);
                try (ResultSet rs = exists.executeQuery()) {
                    rs.next();
                }
                for (int st = 0; st < 4; st++) {
                    bindClock(clock, ticket, st, receipt, true);
                    clock.addBatch();
                }
                clock.executeBatch();
                long[] ids = new long[4];
                try (ResultSet keys = clock.getGeneratedKeys()) {
                    for (int i = 0; i < 4 && keys.next(); i++) {
                        ids[i] = keys.getLong(1);
                    }
                }
                for (int st = 0; st < 4; st++) {
                    for (Object[] t : timers(st, receipt)) {
                        bindTimer(timer, ids[st], ticket, t);
                        timer.addBatch();
                    }
                }
                timer.executeBatch();
                c.commit();
                done += 20;
                if (System.nanoTime() > cap) {
                    r.armCapped = true;
                    break;
                }
            }
        } finally {
            c.setAutoCommit(true);
        }
        r.armedJdbc = done;
        r.armJdbcSeconds = Util.secondsSince(t0);
        Log.info(String.format("ours: armed %d timers (JDBC, batched) in %.2f s", done, r.armJdbcSeconds));
    }

    /**
     * The same tickets with the statement sequence Hibernate issues for onTicketReceived today:
     * IDENTITY ids make every insert its own round trip, and start() turns each PENDING clock into
     * a RUNNING one with an UPDATE at flush.
     */
    private void armRowByRow() throws SQLException {
        int tickets = s.armTimers / 20;
        Instant base = Instant.now().plus(Duration.ofDays(1)).plusSeconds(3600);
        String update = "update stage_clock set category = ?, deadline = ?, escalation_level = 0, met_at = null,"
                + " ordinal = ?, outcome = null, policy_code = '13830', policy_id = ?, policy_version = 1,"
                + " stage = ?, started_at = ?, state = 'RUNNING', street = 'bench-arm', ticket_id = ?,"
                + " unit_type = null, warn_at = ? where id = ?";
        c.setAutoCommit(false);
        long t0 = System.nanoTime();
        long cap = t0 + s.armCap.toNanos();
        int done = 0;
        try (PreparedStatement exists = c.prepareStatement("select count(*) from stage_clock where ticket_id = ?");
                PreparedStatement clock = c.prepareStatement(INSERT_CLOCK, new String[] {"id"});
                PreparedStatement timer = c.prepareStatement(INSERT_TIMER, new String[] {"id"});
                PreparedStatement upd = c.prepareStatement(update)) {
            for (int k = 0; k < tickets; k++) {
                UUID ticket = UUID.randomUUID();
                Instant receipt = base.plusMillis(k);
                exists.setObject(1, ticket);
                try (ResultSet rs = exists.executeQuery()) {
                    rs.next();
                }
                long[] ids = new long[4];
                for (int st = 0; st < 4; st++) {
                    bindClock(clock, ticket, st, receipt, false);
                    clock.executeUpdate();
                    try (ResultSet keys = clock.getGeneratedKeys()) {
                        keys.next();
                        ids[st] = keys.getLong(1);
                    }
                    for (Object[] t : timers(st, receipt)) {
                        bindTimer(timer, ids[st], ticket, t);
                        timer.executeUpdate();
                        try (ResultSet keys = timer.getGeneratedKeys()) {
                            keys.next();
                        }
                    }
                }
                for (int st = 0; st < 4; st++) {
                    Instant deadline = receipt.plus(ALLOWED[st]);
                    upd.setString(1, "bench");
                    upd.setObject(2, Pg.ts(deadline));
                    upd.setInt(3, st);
                    upd.setLong(4, policy);
                    upd.setString(5, STAGES[st]);
                    upd.setObject(6, Pg.ts(receipt));
                    upd.setObject(7, ticket);
                    upd.setObject(8, Pg.ts(receipt.plusMillis(ALLOWED[st].toMillis() * 8 / 10)));
                    upd.setLong(9, ids[st]);
                    upd.executeUpdate();
                }
                c.commit();
                done += 20;
                if (System.nanoTime() > cap) {
                    r.note("row-by-row arming stopped at the " + s.armCap.toSeconds() + " s bound");
                    break;
                }
            }
        } finally {
            c.setAutoCommit(true);
        }
        r.armedRowByRow = done;
        r.armRowByRowSeconds = Util.secondsSince(t0);
        Log.info(String.format("ours: armed %d timers (row by row) in %.2f s", done, r.armRowByRowSeconds));
    }

    private void bindClock(PreparedStatement ps, UUID ticket, int st, Instant receipt, boolean running)
            throws SQLException {
        ps.setObject(1, ticket);
        ps.setString(2, STAGES[st]);
        ps.setInt(3, st);
        ps.setLong(4, policy);
        ps.setObject(5, running ? Pg.ts(receipt) : null);
        ps.setObject(6, running ? Pg.ts(receipt.plusMillis(ALLOWED[st].toMillis() * 8 / 10)) : null);
        ps.setObject(7, running ? Pg.ts(receipt.plus(ALLOWED[st])) : null);
        ps.setString(8, running ? "RUNNING" : "PENDING");
    }

    /** kind, level, due for one stage: warning, breach, three escalation steps. */
    private static List<Object[]> timers(int st, Instant receipt) {
        Instant deadline = receipt.plus(ALLOWED[st]);
        List<Object[]> t = new ArrayList<>(5);
        t.add(new Object[] {"WARNING", 0, receipt.plusMillis(ALLOWED[st].toMillis() * 8 / 10)});
        t.add(new Object[] {"BREACH", 0, deadline});
        for (int l = 0; l < 3; l++) {
            t.add(new Object[] {"ESCALATION", l + 1, deadline.plus(Duration.ofMinutes(LADDER_MINUTES[st][l]))});
        }
        return t;
    }

    private static void bindTimer(PreparedStatement ps, long clockId, UUID ticket, Object[] t) throws SQLException {
        ps.setLong(1, clockId);
        ps.setObject(2, ticket);
        ps.setString(3, (String) t[0]);
        ps.setInt(4, (Integer) t[1]);
        ps.setObject(5, Pg.ts((Instant) t[2]));
    }

    // ---------------------------------------------------------------- (b) burst

    /** The engine's claim query (TimerFiring.fireDue), without FOR UPDATE so that EXPLAIN ANALYZE locks nothing. */
    static final String CLAIM_ORDER = " order by due_at, case kind when 'WARNING' then 0 when 'BREACH' then 1 else 2 end,"
            + " level, id";

    /**
     * n WARNING timers due at {@code due}, one per RUNNING clock (n/4 tickets). The clocks' deadline
     * is an hour after it, so every warning is published whenever it fires (one fired after its
     * stage's deadline would be superseded by the breach and write no event).
     */
    private void insertBurst(int n, Instant due, String street) throws SQLException {
        Pg.update(c, "with t as (select gen_random_uuid() as ticket_id from generate_series(1, ?)),"
                + " c as (insert into stage_clock (" + CLOCK_COLUMNS + ")"
                + " select t.ticket_id, s.stage, s.ord, ?, '13830', 1, ?, 'bench',"
                + " ?::timestamptz - interval '4 hours', ?::timestamptz, ?::timestamptz + interval '1 hour', 'RUNNING', 0"
                + " from t cross join " + STAGE_VALUES + " returning id, ticket_id)"
                + " insert into timer (clock_id, ticket_id, kind, level, due_at, cancelled)"
                + " select id, ticket_id, 'WARNING', 0, ?, false from c", n / 4, policy, street, due, due, due, due);
    }

    private void burst() throws Exception {
        int n = s.burstTimers;
        r.burstTarget = n;
        // time a 2% pilot (due tomorrow, stays pending) to put the due instant just far enough ahead
        int pilot = Util.pilotSize(n) / 4 * 4;
        long p0 = System.nanoTime();
        insertBurst(pilot, Instant.now().plus(Duration.ofDays(1)), "bench-pilot");
        Pg.analyze(db, "sla", "stage_clock", "timer");
        Instant due = Util.dueAfter(Util.burstMargin(Util.secondsSince(p0), pilot, n));
        long t0 = System.nanoTime();
        insertBurst(n, due, "bench-burst");
        Pg.analyze(db, "sla", "stage_clock", "timer");
        r.burstInsertSeconds = Util.secondsSince(t0);
        Log.info(String.format("ours: burst of %d WARNING timers on RUNNING clocks inserted in %.1f s, due at %s", n,
                r.burstInsertSeconds, due));
        Util.checkCommittedBefore(r, due, "burst insert");
        Util.sleepUntil(due);
        Instant end = null;
        Instant cap = due.plus(s.burstCap);
        try (Probe probe = Probe.start(db, svc.pid())) {
            while (true) {
                // committed and fired: nothing left unfired at or before the due instant
                if (!Pg.queryExists(c, "select 1 from timer where fired_at is null and due_at <= ? limit 1", due)) {
                    end = Instant.now();
                    break;
                }
                if (Instant.now().isAfter(cap)) {
                    break;
                }
                if (r.explain.isEmpty() && Instant.now().isAfter(due.plusSeconds(2))) {
                    r.explain.add("-- (b) 2 s into the burst: the claim query's plan and cost (run without FOR UPDATE):");
                    r.explain.addAll(Pg.queryLines(c, "explain (analyze, buffers) select * from timer"
                            + " where fired_at is null and due_at <= now()" + CLAIM_ORDER + " limit 200"));
                }
                Thread.sleep(50);
            }
            r.burstCpu = probe.cpu(r, "(b) burst");
            r.burstActivity.addAll(probe.topActivity(8));
        }
        long[] stats = new long[4];
        try (PreparedStatement ps = c.prepareStatement("select count(*) filter (where fired_at is not null),"
                + " count(*) filter (where cancelled), min(lateness_ms), max(lateness_ms) from timer where due_at = ?")) {
            ps.setObject(1, Pg.ts(due));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                for (int i = 0; i < 4; i++) {
                    stats[i] = rs.getLong(i + 1);
                }
            }
        }
        // a fire counts when its outbox row exists; its time is the row's created_at (the only
        // sla.warning rows so far are the burst's: everything armed before is due a day ahead)
        long[] rows = new long[3];
        try (PreparedStatement ps = c.prepareStatement("select count(*),"
                + " coalesce(floor(extract(epoch from (min(created_at) - ?::timestamptz)) * 1000), 0)::bigint,"
                + " coalesce(floor(extract(epoch from (max(created_at) - ?::timestamptz)) * 1000), 0)::bigint"
                + " from outbox_event where type = 'sla.warning'")) {
            ps.setObject(1, Pg.ts(due));
            ps.setObject(2, Pg.ts(due));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                for (int i = 0; i < 3; i++) {
                    rows[i] = rs.getLong(i + 1);
                }
            }
        }
        r.burstFired = rows[0];
        r.burstFirstSeconds = rows[1] / 1000.0;
        if (end != null && rows[0] >= n) {
            r.burstSeconds = rows[2] / 1000.0;
        } else {
            r.burstCapped = true;
            r.burstSeconds = s.burstCap.toMillis() / 1000.0;
        }
        r.note(String.format("burst: %d sla.warning outbox rows, the first written %d ms and the last %d ms after the"
                + " due instant (created_at); claims (timer.lateness_ms) %d to %d ms; a poll every 50 ms saw no unfired"
                + " burst timer left %s", rows[0], rows[1], rows[2], stats[2], stats[3],
                end != null ? String.format(Locale.ROOT, "at %.2f s", Duration.between(due, end).toMillis() / 1000.0)
                        : "before the bound"));
        if (stats[1] > 0) {
            r.note("burst: " + stats[1] + " timers fired without effect (cancelled) although their clocks ran");
        }
        Log.info(String.format("ours: burst %d/%d fired in %.2f s%s", r.burstFired, n, r.burstSeconds,
                r.burstCapped ? " (bound reached)" : ""));
        if (r.burstCapped) {
            // the leftovers would compete with the lateness measurement: remove them
            svc.stop();
            int gone = Pg.update(c, "delete from timer where fired_at is null and due_at <= ?", due);
            r.note("burst: stopped at the bound; " + gone + " unfired burst timers deleted before phase (c)");
            startService();
        }
        // every warning became an event in the outbox; the relay publishes them to Kafka
        Instant drainCap = Instant.now().plus(s.outboxDrainCap);
        boolean drained = false;
        while (Instant.now().isBefore(drainCap)) {
            if (Pg.queryLong(c, "select count(*) from outbox_event where published_at is null") == 0) {
                drained = true;
                break;
            }
            Thread.sleep(200);
        }
        long events = Pg.queryLong(c, "select count(*) from outbox_event where type = 'sla.warning'");
        if (drained && !r.burstCapped) {
            r.burstEventsPublishedSeconds = Pg.queryLong(c, "select (extract(epoch from (max(published_at)"
                    + " - ?::timestamptz)) * 1000)::bigint from outbox_event", due) / 1000.0;
            r.note(String.format("burst: %d sla.warning events written to the outbox; the last one acknowledged by"
                    + " Kafka %.1f s after the due instant", events, r.burstEventsPublishedSeconds));
        } else {
            r.note("burst: outbox not drained within " + s.outboxDrainCap.toSeconds() + " s (" + events + " events)");
        }
        Pg.vacuumAnalyze(db, "sla", "stage_clock", "timer", "outbox_event");
    }

    // ---------------------------------------------------------------- (c) lateness

    private void pending() throws SQLException {
        int tickets = s.pendingTimers / 20;
        int chunk = 10_000;
        Instant base = Instant.now().plus(Duration.ofDays(2));
        long t0 = System.nanoTime();
        int done = 0;
        while (done < tickets) {
            int k = Math.min(chunk, tickets - done);
            Pg.update(c, "with t as (select gen_random_uuid() as ticket_id, ?::timestamptz + random() * interval '30 days'"
                    + " as receipt from generate_series(1, ?)),"
                    + " c as (insert into stage_clock (" + CLOCK_COLUMNS + ")"
                    + " select t.ticket_id, s.stage, s.ord, ?, '13830', 1, 'bench-pending', 'bench', t.receipt,"
                    + " t.receipt + s.allowed * 0.8, t.receipt + s.allowed, 'RUNNING', 0 from t cross join "
                    + STAGE_VALUES + " returning id, ticket_id, warn_at, deadline)"
                    + " insert into timer (clock_id, ticket_id, kind, level, due_at, cancelled)"
                    + " select c.id, c.ticket_id, k.kind, k.level,"
                    + " case when k.kind = 'WARNING' then c.warn_at else c.deadline + k.after end, false"
                    + " from c cross join (values ('WARNING', 0, interval '0'), ('BREACH', 0, interval '0'),"
                    + " ('ESCALATION', 1, interval '0'), ('ESCALATION', 2, interval '5 minutes'),"
                    + " ('ESCALATION', 3, interval '15 minutes')) k(kind, level, after)", base, k, policy);
            done += k;
            if (done < tickets && Util.secondsSince(t0) > s.pendingLoadCap.toSeconds()) {
                r.pendingCapped = true;
                r.note("pending load stopped at the " + s.pendingLoadCap.toSeconds() + " s bound");
                break;
            }
        }
        r.pendingLoadSeconds = Util.secondsSince(t0);
        Log.info(String.format("ours: %d pending timers (%d clocks) inserted in %.1f s", done * 20, done * 4,
                r.pendingLoadSeconds));
        long v0 = System.nanoTime();
        Pg.vacuumAnalyze(db, "sla", "stage_clock", "timer");
        Pg.checkpoint();
        Log.info(String.format("ours: vacuum analyze + checkpoint %.1f s", Util.secondsSince(v0)));
        r.pending = Pg.queryLong(c, "select count(*) from timer where fired_at is null");
    }

    private void measured() throws Exception {
        int n = s.measuredTimers;
        r.measuredTarget = n;
        long lo = Pg.queryLong(c, "select coalesce(max(id), 0) from timer");
        long seq = Pg.queryLong(c, "select coalesce(max(seq), 0) from outbox_event");
        Instant start = Util.dueAfter(Duration.ofSeconds(5));
        long stepMicros = s.measuredSpread.toNanos() / 1000 / n;
        Pg.update(c, "with t as (select gen_random_uuid() as ticket_id from generate_series(1, ?)),"
                + " c as (insert into stage_clock (" + CLOCK_COLUMNS + ")"
                + " select t.ticket_id, s.stage, s.ord, ?, '13830', 1, 'bench-measured', 'bench',"
                + " ?::timestamptz - interval '4 hours', ?::timestamptz, ?::timestamptz + interval '1 hour', 'RUNNING', 0"
                + " from t cross join " + STAGE_VALUES + " returning id, ticket_id),"
                + " n as (select id, ticket_id, row_number() over (order by id) - 1 as i from c)"
                + " insert into timer (clock_id, ticket_id, kind, level, due_at, cancelled)"
                + " select id, ticket_id, 'WARNING', 0, ?::timestamptz + (n.i * ?::bigint) * interval '1 microsecond',"
                + " false from n", n / 4, policy, start, start, start, start, stepMicros);
        long hi = Pg.queryLong(c, "select coalesce(max(id), 0) from timer");
        Util.checkCommittedBefore(r, start, "measured insert");
        Log.info("ours: " + (hi - lo) + " measured WARNING timers due from " + start + " over "
                + s.measuredSpread.toSeconds() + " s, " + r.pending + " pending");
        Util.sleepUntil(start);
        try (Probe probe = Probe.start(db, svc.pid())) {
            Util.sleepUntil(start.plus(s.measuredSpread).plusMillis(300));
            Instant cap = start.plus(s.measuredSpread).plus(s.measuredGrace);
            while (Pg.queryLong(c, "select count(*) from timer where id > ? and id <= ? and fired_at is null", lo, hi) > 0
                    && Instant.now().isBefore(cap)) {
                Thread.sleep(250);
            }
            r.latenessCpu = probe.cpu(r, "(c) lateness");
            r.latenessActivity.addAll(probe.topActivity(6));
        }
        // lateness = the outbox row's created_at - the timer's due_at (the event names the ticket and stage)
        long[] late = Pg.queryLongs(c, "select floor(extract(epoch from (o.created_at - t.due_at)) * 1000)::bigint"
                + " from timer t join stage_clock sc on sc.id = t.clock_id join outbox_event o"
                + " on o.seq > ? and o.event_key = sc.ticket_id::text and o.type = 'sla.warning'"
                + " and o.payload::jsonb -> 'data' ->> 'stage' = sc.stage"
                + " where t.id > ? and t.id <= ?", seq, lo, hi);
        long fired = Pg.queryLong(c, "select count(*) from timer where id > ? and id <= ? and fired_at is not null",
                lo, hi);
        long[] claimLate = Pg.queryLongs(c, "select lateness_ms from timer where id > ? and id <= ?"
                + " and fired_at is not null and not cancelled", lo, hi);
        r.measuredFired = late.length;
        if (fired != late.length) {
            r.note("measured: " + fired + " timers marked fired, " + late.length + " with their outbox row");
        }
        if (claimLate.length > 0) {
            SystemResult k = new SystemResult("tmp", "tmp");
            Util.lateness(k, claimLate);
            r.note(String.format(Locale.ROOT, "measured: claim lateness (timer.lateness_ms, the claim's clock reading,"
                    + " before the outbox row is written) %d / %d / %d ms (p50/p99/max)", k.p50, k.p99, k.max));
        }
        Util.lateness(r, late);
        Util.unfired(r, start, s.measuredSpread, Instant.now());
        Log.info("ours: measured " + late.length + "/" + n + " fired; lateness p50 " + r.p50 + " p99 " + r.p99 + " max "
                + r.max + " ms");
        // the event's arrival in Kafka: outbox row acknowledged by the broker, minus the due time
        Instant drainCap = Instant.now().plusSeconds(30);
        while (Pg.queryLong(c, "select count(*) from outbox_event where published_at is null") > 0
                && Instant.now().isBefore(drainCap)) {
            Thread.sleep(200);
        }
        long[] kafkaLate = Pg.queryLongs(c, "select (extract(epoch from (o.published_at - t.due_at)) * 1000)::bigint"
                + " from timer t join stage_clock sc on sc.id = t.clock_id join outbox_event o"
                + " on o.event_key = sc.ticket_id::text and o.type = 'sla.warning'"
                + " and o.payload::jsonb -> 'data' ->> 'stage' = sc.stage"
                + " where t.id > ? and t.id <= ? and o.published_at is not null", lo, hi);
        if (kafkaLate.length > 0) {
            SystemResult k = new SystemResult("tmp", "tmp");
            Util.lateness(k, kafkaLate);
            r.kafkaP50 = k.p50;
            r.kafkaP99 = k.p99;
            r.kafkaMax = k.max;
            r.note(String.format("measured: %d sla.warning events acknowledged by Kafka %d / %d / %d ms (p50/p99/max)"
                    + " after their due time (outbox relay included)", kafkaLate.length, k.p50, k.p99, k.max));
        }
    }

    private void explain() throws SQLException {
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            r.explain.add("-- (c) after the window: TimerFiring.fireDue's claim with " + r.pending
                    + " timers pending, none due:");
            r.explain.addAll(lines(st, "explain (analyze, buffers) select * from timer where fired_at is null"
                    + " and due_at <= now()" + CLAIM_ORDER + " limit 200 for update skip locked"));
            r.explain.add("-- the same, as the generic plan a server-side prepared statement may switch to:");
            st.execute("set local plan_cache_mode = force_generic_plan");
            st.execute("prepare bench_claim(timestamptz, int) as select * from timer where fired_at is null"
                    + " and due_at <= $1" + CLAIM_ORDER + " limit $2 for update skip locked");
            r.explain.addAll(lines(st, "explain (analyze, buffers) execute bench_claim(now(), 200)"));
            st.execute("deallocate bench_claim");
            r.explain.add("-- (c) TimerFiring.nextDue:");
            r.explain.addAll(lines(st, "explain (analyze, buffers) select min(t1_0.due_at) from timer t1_0"
                    + " where t1_0.fired_at is null"));
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    private static List<String> lines(Statement st, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}

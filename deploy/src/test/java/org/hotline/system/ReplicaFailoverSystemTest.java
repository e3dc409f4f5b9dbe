package org.hotline.system;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.hotline.backbone.testing.EventProbe;
import org.hotline.backbone.testing.TestInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #17 item 4: two replicas of every service at once on one broker and one database, tickets
 * posted through both intake replicas, SLA clocks 20x faster. Replica A of every service is
 * killed (SIGKILL, all four at once, as when a host dies); the B replicas take over its partitions
 * (tickets posted right after the kill are dispatched, clocked and notified) and its timers (those
 * falling due right after the kill fire on time), both within 10 s, measured and printed. Then the
 * same reconciliation as the fault test: every ticket in every service, one lead each, every due
 * warning, breach and escalation exactly once and none early, no notification twice.
 */
class ReplicaFailoverSystemTest {

    /** The target is 10 s; the bound leaves room for a loaded 2-core CI machine. */
    static final Duration HANDOVER_BOUND = Duration.ofSeconds(15);

    static String database;
    /** A broker of its own: the services start from an empty event history (TestInfra.startBroker). */
    static KafkaClusterTestKit broker;
    static final List<ServiceProcess> a = new ArrayList<>();
    static final List<ServiceProcess> b = new ArrayList<>();
    static final List<String> tickets = new ArrayList<>();
    static final AtomicInteger callers = new AtomicInteger(5000);

    @BeforeAll
    static void startTwoReplicasOfEverything() throws Exception {
        database = TestInfra.createDatabase("hl_failover");
        Map<String, String> env = new HashMap<>(Map.of("KAFKA_BOOTSTRAP_SERVERS", (broker = TestInfra.startBroker()).bootstrapServers(),
                "DB_HOST", TestInfra.pgHost(), "DB_PORT", String.valueOf(TestInfra.pgPort()), "DB_NAME", database,
                "DB_USER", TestInfra.pgUser(), "HOTLINE_DEMO_DATA", "true", "SLA_TIME_COMPRESSION", "20",
                "SLA_BREACH_GRACE", "1s", "INTAKE_REPEAT_ENABLED", "false", "INTAKE_RATE_LIMIT_ENABLED", "false"));
        if (!TestInfra.pgPassword().isEmpty()) {
            env.put("DB_PASSWORD", TestInfra.pgPassword());
        }
        Set<Integer> ports = new HashSet<>();
        for (String name : List.of("intake-service", "dispatch-service", "sla-timer-service", "notification-service")) {
            for (List<ServiceProcess> side : List.of(a, b)) {
                ServiceProcess p;
                do {
                    p = new ServiceProcess(name, env);
                } while (!ports.add(p.port)); // eight free ports asked for before any binds
                side.add(p.start(Map.of()));
            }
        }
        for (ServiceProcess p : a) {
            p.awaitReady();
        }
        for (ServiceProcess p : b) {
            p.awaitReady();
        }
        Api.roomForEveryTicket(a.get(1).url());
    }

    @AfterAll
    static void stopAll() throws Exception {
        List<ServiceProcess> both = new ArrayList<>(a);
        both.addAll(b);
        ServiceProcess.stopAll(both);
        if (database != null) {
            TestInfra.dropDatabase(database);
        }
        if (broker != null) {
            TestInfra.close(broker, Duration.ofSeconds(30));
        }
    }

    @Test
    void killingOneReplicaOfEveryServiceHandsItsPartitionsAndTimersToTheOther() throws Exception {
        Reconciliation r = new Reconciliation(TestInfra.jdbcUrl(database), TestInfra.pgUser(), TestInfra.pgPassword(), tickets);
        // both replicas at work: tickets through either intake
        for (int i = 0; i < 16; i++) {
            tickets.add(Api.postTicket((i % 2 == 0 ? a : b).get(0).url(), callers.incrementAndGet()));
        }
        await("both replicas dispatch, clock and notify").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> r.everyTicketInEveryService().isEmpty() && r.exactlyOneLead().isEmpty());
        // let the ON_SCENE warnings (19.2 s after receipt) and breaches (25 s) fall due just after the kill
        Instant posted = Instant.now();
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(30)).until(
                () -> Duration.between(firstReceived(), Instant.now()).toMillis() > 17_000);

        List<String> before = List.copyOf(tickets);
        Instant kill = Instant.now();
        for (ServiceProcess p : a) {
            p.kill();
        }
        System.out.println("[failover] killed replica A of every service " + Duration.between(posted, kill).toMillis()
                + " ms after the first tickets settled");

        // partitions: tickets posted right after the kill go through the B replicas only
        List<String> after = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            after.add(Api.postTicket(b.get(0).url(), callers.incrementAndGet()));
        }
        tickets.addAll(after);
        Reconciliation afterKill = new Reconciliation(TestInfra.jdbcUrl(database), TestInfra.pgUser(), TestInfra.pgPassword(), after);
        await("tickets posted after the kill dispatched, clocked and notified").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> afterKill.everyTicketInEveryService().isEmpty() && afterKill.exactlyOneLead().isEmpty());
        Duration partitions = Duration.between(kill, Instant.now());

        // timers: those that fell due in the 20 s after the kill, fired by the survivor, how late
        await("timers due after the kill fired").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> r.dueButNotFired(kill.plusSeconds(20)).isEmpty());
        long timersDue;
        long worstLatenessMs;
        try (Connection c = DriverManager.getConnection(TestInfra.jdbcUrl(database), TestInfra.pgUser(), TestInfra.pgPassword());
                PreparedStatement ps = c.prepareStatement("select count(*), coalesce(max(extract(epoch from fired_at - due_at) * 1000), 0)"
                        + " from sla.timer where due_at between ? and ? and fired_at is not null and ticket_id = any(?)")) {
            ps.setTimestamp(1, java.sql.Timestamp.from(kill));
            ps.setTimestamp(2, java.sql.Timestamp.from(kill.plusSeconds(20)));
            ps.setArray(3, c.createArrayOf("uuid", before.stream().map(UUID::fromString).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                timersDue = rs.getLong(1);
                worstLatenessMs = (long) rs.getDouble(2);
            }
        }
        try (Connection c = DriverManager.getConnection(TestInfra.jdbcUrl(database), TestInfra.pgUser(), TestInfra.pgPassword());
                PreparedStatement ps = c.prepareStatement("select t.kind, s.stage, t.level, t.due_at, t.fired_at"
                        + " from sla.timer t join sla.stage_clock s on s.id = t.clock_id where t.due_at between ? and ?"
                        + " and t.fired_at is not null and t.ticket_id = any(?) order by t.fired_at - t.due_at desc limit 3")) {
            ps.setTimestamp(1, java.sql.Timestamp.from(kill));
            ps.setTimestamp(2, java.sql.Timestamp.from(kill.plusSeconds(20)));
            ps.setArray(3, c.createArrayOf("uuid", before.stream().map(UUID::fromString).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant due = rs.getTimestamp(4).toInstant();
                    System.out.printf("[failover]   late: %s %s %d due kill+%.1f s, fired %.1f s late%n", rs.getString(1),
                            rs.getString(2), rs.getInt(3), Duration.between(kill, due).toMillis() / 1000.0,
                            Duration.between(due, rs.getTimestamp(5).toInstant()).toMillis() / 1000.0);
                }
            }
        }
        System.out.printf("[failover] partitions handed over: the last of 12 tickets posted after the kill was dispatched,"
                + " clocked and notified %.1f s after it; %d timers of the tickets armed before the kill, due in the 20 s after it, fired at most %.1f s late%n",
                partitions.toMillis() / 1000.0, timersDue, worstLatenessMs / 1000.0);
        assertTrue(timersDue > 0, "some timers fell due after the kill");
        assertTrue(partitions.compareTo(HANDOVER_BOUND) < 0, "partitions handed over in " + partitions);
        assertTrue(worstLatenessMs < HANDOVER_BOUND.toMillis(), "timers handed over, worst lateness " + worstLatenessMs + " ms");

        // and the same guarantees as without the kill
        await("due timers fired").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> r.dueButNotFired(Instant.now().minusSeconds(5)).isEmpty());
        Set<String> fired = r.firedTimers();
        try (EventProbe probe = new EventProbe(broker.bootstrapServers(), "sla-events")) {
            await("fired timers on the topic").atMost(Duration.ofSeconds(30)).until(() -> {
                Set<String> seen = new HashSet<>();
                for (EventProbe.Seen s : probe.all()) {
                    var d = s.json().path("data");
                    seen.add(s.key() + " " + s.type() + " " + d.path("stage").asText() + " " + d.path("level").asInt(0));
                }
                return seen.containsAll(fired);
            });
            List<EventProbe.Seen> events = probe.all().stream().filter(s -> tickets.contains(s.key())).toList();
            List<String> wrong = new ArrayList<>();
            wrong.addAll(r.everyTicketInEveryService());
            wrong.addAll(r.exactlyOneLead());
            wrong.addAll(Reconciliation.slaEventsExactlyOnce(events, fired, r.firedTimers()));
            wrong.addAll(r.noNotificationTwice(Map.of()));
            System.out.println("[failover] " + r.summary());
            assertEquals(List.of(), wrong, "reconciliation after the failover:" + Reconciliation.join(wrong));
        }
    }

    /** When the first ticket of the run was received (the SLA anchor), from intake's schema. */
    static Instant firstReceived() throws Exception {
        try (Connection c = DriverManager.getConnection(TestInfra.jdbcUrl(database), TestInfra.pgUser(), TestInfra.pgPassword());
                PreparedStatement ps = c.prepareStatement("select min(received_at) from intake.ticket where id = any(?)")) {
            ps.setArray(1, c.createArrayOf("uuid", tickets.stream().map(UUID::fromString).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getTimestamp(1).toInstant();
            }
        }
    }
}

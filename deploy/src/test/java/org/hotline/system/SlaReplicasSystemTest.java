package org.hotline.system;

import static org.hotline.system.Api.given;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.hotline.backbone.testing.EventProbe;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.hotline.backbone.testing.TestInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * sla-timer-service as separate processes on one database and one broker, running 20x faster
 * (the 1-minute stage takes 3 s; each breach is published 1 s after its deadline, the grace): two
 * replicas at once publish every warning, breach and escalation exactly once, also when one
 * replica's host clock is 40 s ahead; timers that fall due while every replica is down (kill -9)
 * fire when one comes back, once, recorded as late, their overdue warnings superseded, never dropped.
 */
class SlaReplicasSystemTest {

    static String database;
    /** A broker of its own: the services start from an empty event history (TestInfra.startBroker). */
    static KafkaClusterTestKit broker;
    static Map<String, String> env;
    static EventProbe probe;
    final List<ServiceProcess> running = new ArrayList<>();

    @BeforeAll
    static void infra() {
        String bootstrap = (broker = TestInfra.startBroker()).bootstrapServers();
        database = TestInfra.createDatabase("hl_sla_replicas");
        env = Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap, "DB_HOST", TestInfra.pgHost(), "DB_PORT",
                String.valueOf(TestInfra.pgPort()), "DB_NAME", database, "DB_USER", TestInfra.pgUser(),
                "SLA_TIME_COMPRESSION", "20", "SLA_BREACH_GRACE", "1s",
                // small claims, so both replicas share a burst: with the default 200 one replica can
                // claim all 120 timers due at one instant before the other polls
                "SLA_ENGINE_BATCH_SIZE", "5");
    }

    @AfterAll
    static void dropDatabase() {
        if (probe != null) {
            probe.close();
        }
        TestInfra.dropDatabase(database);
        if (broker != null) {
            TestInfra.close(broker, Duration.ofSeconds(30));
        }
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        ServiceProcess.stopAll(running);
    }

    ServiceProcess startSla() throws Exception {
        return startSla(null);
    }

    ServiceProcess startSla(Duration clockShift) throws Exception {
        ServiceProcess p = new ServiceProcess("sla-timer-service", env).start(Map.of(), clockShift);
        running.add(p);
        return p;
    }

    static EventProbe probe() {
        if (probe == null) {
            probe = new EventProbe(env.get("KAFKA_BOOTSTRAP_SERVERS"), "sla-events");
        }
        return probe;
    }

    static String ticketReceived(String ticket, Instant reported) {
        return """
                {"specversion":"1.0","id":"%s","source":"/hotline/intake-service","type":"ticket.received",
                 "subject":"%s","time":"%s","datacontenttype":"application/json",
                 "data":{"ticketId":"%s","source":"HOTLINE_12345","category":"NOISE","complexity":"SIMPLE",
                         "street":"wukang","grid":"wukang-01","address":"英溪北路 1 号",
                         "reportedAt":"%s","receivedAt":"%s"}}
                """.formatted(UUID.randomUUID(), ticket, reported, ticket, reported, reported);
    }

    /** "type stage level" of every timer SLA event about a ticket (not the clocks' start announcements). */
    static List<String> firings(String ticket) {
        return timerEvents(ticket).stream().map(s -> s.type() + " " + s.json().path("data").path("stage").asText()
                + " " + s.json().path("data").path("level").asInt(0)).sorted().toList();
    }

    /** The SLA events a timer fired (those with a dueAt); sla.stage-started announces a clock, sla.stage-met ends one. */
    static List<EventProbe.Seen> timerEvents(String ticket) {
        return probe().about(ticket).stream().filter(e -> e.json().path("data").has("dueAt")).toList();
    }

    @Test
    void twoReplicasAtOnceFireEveryTimerExactlyOnce() throws Exception {
        ServiceProcess a = startSla();
        ServiceProcess b = startSla();
        a.awaitReady();
        b.awaitReady();

        List<String> tickets = new ArrayList<>();
        // reported 2 s ahead, so the 0.6 s between the warning and the deadline falls after arming even
        // on a busy machine (a warning that fires past its deadline is superseded, not published)
        Instant reported = Instant.now().plusSeconds(2);
        for (int i = 0; i < 12; i++) {
            String t = UUID.randomUUID().toString();
            tickets.add(t);
            probe().send("ticket-events", t, ticketReceived(t, reported));
        }
        // RESPOND: warning 2.4 s, breach 4 s (3 s + grace), level 1 with it, level 2 at 10 s; DISPATCH_CONTACT breaches at 10 s
        await().atMost(Duration.ofSeconds(60)).until(() -> tickets.stream()
                .allMatch(t -> firings(t).contains("sla.breached DISPATCH_CONTACT 0")
                        && firings(t).contains("sla.escalated RESPOND 2")));
        for (String t : tickets) {
            Map<String, Long> counts = firings(t).stream()
                    .collect(Collectors.groupingBy(f -> f, Collectors.counting()));
            counts.forEach((firing, n) -> assertEquals(1L, n, t + ": " + firing + " published " + n + " times"));
            // and none is skipped: the RESPOND ladder up to level 2, each step once (level 3 may follow)
            assertTrue(firings(t).containsAll(List.of("sla.warning RESPOND 0", "sla.breached RESPOND 0",
                    "sla.escalated RESPOND 1", "sla.escalated RESPOND 2")), t + ": " + firings(t));
        }
        Map<String, Double> firedBy = new HashMap<>();
        for (ServiceProcess p : List.of(a, b)) {
            String metrics = given().baseUri(p.url()).get("/q/metrics").then().extract().asString();
            firedBy.put(p.url(), metrics.lines().filter(l -> l.startsWith("sla_timer_lateness_seconds_count{"))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum());
        }
        System.out.println("timers fired per replica: " + firedBy);
        assertTrue(firedBy.values().stream().allMatch(n -> n > 0), "both replicas fired timers: " + firedBy);
    }

    /**
     * One clock for every replica: a replica whose host clock runs 40 s ahead (libfaketime) claims
     * timers on the database's time, so no warning, breach or escalation goes out before it is due
     * by the real clock (here the test's own), and none twice.
     */
    @Test
    void aReplicaWhoseHostClockIsFortySecondsAheadStillFiresEachTimerAtItsTime() throws Exception {
        ServiceProcess a = startSla();
        ServiceProcess ahead = startSla(Duration.ofSeconds(40));
        a.awaitReady();
        ahead.awaitReady();

        List<String> tickets = new ArrayList<>();
        Instant reported = Instant.now().plusSeconds(2);
        for (int i = 0; i < 8; i++) {
            String t = UUID.randomUUID().toString();
            tickets.add(t);
            probe().send("ticket-events", t, ticketReceived(t, reported));
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> tickets.stream()
                .allMatch(t -> firings(t).contains("sla.breached DISPATCH_CONTACT 0")));
        for (String t : tickets) {
            for (EventProbe.Seen e : timerEvents(t)) {
                Instant due = Instant.parse(e.json().path("data").path("dueAt").asText());
                // read at most one poll after it was published: never before it was due
                assertTrue(!e.seenAt().isBefore(due.minusMillis(100)),
                        t + ": " + e.type() + " due " + due + " was out at " + e.seenAt());
            }
            Map<String, Long> counts = firings(t).stream().collect(Collectors.groupingBy(f -> f, Collectors.counting()));
            counts.forEach((firing, n) -> assertEquals(1L, n, t + ": " + firing + " published " + n + " times"));
        }
        String metrics = given().baseUri(ahead.url()).get("/q/metrics").then().extract().asString();
        double offset = metrics.lines().filter(l -> l.startsWith("hotline_clock_offset_seconds"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElseThrow();
        assertTrue(offset < -39 && offset > -41, "the replica measured its host clock 40 s ahead: " + offset);
    }

    /**
     * The outage found on a live system: tickets arrive, every replica is killed (kill -9), the
     * timers fall due while nothing runs, one replica comes back. Each overdue breach fires once,
     * marked late; each overdue warning (its deadline passed while nothing ran) is superseded by its
     * breach: recorded with the reason and counted, never published after its breach, never dropped
     * without a word (on the live system 75 of 100 such warnings were closed silently).
     */
    @Test
    void timersThatFallDueWhileEveryReplicaIsKilledFireOnceWhenOneComesBack() throws Exception {
        ServiceProcess a = startSla();
        a.awaitReady();
        List<String> tickets = new ArrayList<>();
        // reported 15 s ahead: RESPOND warns 17.4 s from now, well after the kill below
        Instant reported = Instant.now().plusSeconds(15);
        for (int i = 0; i < 30; i++) {
            String t = UUID.randomUUID().toString();
            tickets.add(t);
            probe().send("ticket-events", t, ticketReceived(t, reported));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> armed(tickets) == tickets.size());

        a.kill(); // kill -9 before the RESPOND warning
        running.remove(a);
        assertTrue(tickets.stream().allMatch(t -> firings(t).isEmpty()), "killed before anything fell due");
        // downtime, not polling: the RESPOND warnings and breaches (deadline 3 s, grace 1 s) fall due
        // while nothing runs
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), reported.plusSeconds(6)).toMillis()));

        ServiceProcess back = startSla();
        back.awaitReady();
        // it first lets its consumers catch up (the killed member's partitions move after the
        // 6 s session timeout), then fires what fell due
        await().atMost(Duration.ofSeconds(75)).until(() -> tickets.stream()
                .allMatch(t -> firings(t).contains("sla.breached RESPOND 0")));
        for (String t : tickets) {
            EventProbe.Seen breach = probe().ofType(t, "sla.breached").get(0);
            assertTrue(breach.json().path("data").path("late").asBoolean(), breach.value());
            assertTrue(breach.json().path("data").path("latenessMs").asLong() >= 1_000, breach.value());
            assertEquals(1, firings(t).stream().filter("sla.breached RESPOND 0"::equals).count());
            assertEquals(0, firings(t).stream().filter("sla.warning RESPOND 0"::equals).count(),
                    "no warning after its breach");
        }
        // every RESPOND warning is on record as superseded by its breach, none closed without a reason
        try (Connection c = DriverManager.getConnection(TestInfra.jdbcUrl(database), TestInfra.pgUser(),
                TestInfra.pgPassword());
                PreparedStatement ps = c.prepareStatement("select t.skip_reason, count(*) from sla.timer t"
                        + " join sla.stage_clock s on s.id = t.clock_id where s.stage = 'RESPOND' and t.kind = 'WARNING'"
                        + " and t.ticket_id = any(?) group by t.skip_reason")) {
            ps.setArray(1, c.createArrayOf("uuid", tickets.stream().map(UUID::fromString).toArray()));
            Map<String, Integer> reasons = new HashMap<>();
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    reasons.put(r.getString(1), r.getInt(2));
                }
            }
            assertEquals(Map.of("SUPERSEDED_BY_BREACH", tickets.size()), reasons);
        }
        String metrics = given().baseUri(back.url()).get("/q/metrics").then().extract().asString();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("sla_warnings_superseded_total{")
                && l.contains("stage=\"RESPOND\"") && Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) >= tickets.size()),
                "counted");
    }

    /** How many of these tickets have their clocks armed (read through any replica's database). */
    int armed(List<String> tickets) throws Exception {
        try (Connection c = DriverManager.getConnection(TestInfra.jdbcUrl(database), TestInfra.pgUser(),
                TestInfra.pgPassword());
                PreparedStatement ps = c.prepareStatement(
                        "select count(distinct ticket_id) from sla.stage_clock where ticket_id = any(?)")) {
            ps.setArray(1, c.createArrayOf("uuid", tickets.stream().map(UUID::fromString).toArray()));
            try (ResultSet r = ps.executeQuery()) {
                r.next();
                return r.getInt(1);
            }
        }
    }
}

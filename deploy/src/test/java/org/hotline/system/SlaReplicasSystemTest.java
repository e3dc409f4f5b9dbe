package org.hotline.system;

import static org.hotline.system.Api.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.hotline.backbone.testing.EventProbe;
import org.hotline.backbone.testing.TestInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * sla-timer-service as separate processes on one database and one broker, running 20x faster
 * (the 1-minute stage takes 3 s): two replicas at once publish every warning, breach and
 * escalation exactly once; timers that fall due while every replica is down (kill -9) fire when
 * one comes back, once, recorded as late.
 */
class SlaReplicasSystemTest {

    static String database;
    static Map<String, String> env;
    static EventProbe probe;
    final List<ServiceProcess> running = new ArrayList<>();

    @BeforeAll
    static void infra() {
        String bootstrap = TestInfra.kafkaBootstrap();
        database = TestInfra.createDatabase("hl_sla_replicas");
        env = Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap, "DB_HOST", TestInfra.pgHost(), "DB_PORT",
                String.valueOf(TestInfra.pgPort()), "DB_NAME", database, "DB_USER", TestInfra.pgUser(),
                "SLA_TIME_COMPRESSION", "20");
    }

    @AfterAll
    static void dropDatabase() {
        if (probe != null) {
            probe.close();
        }
        TestInfra.dropDatabase(database);
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        for (ServiceProcess p : running) {
            p.stop();
        }
    }

    ServiceProcess startSla() throws Exception {
        ServiceProcess p = new ServiceProcess("sla-timer-service", env).start(Map.of());
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

    /** "type stage level" of every SLA event about a ticket. */
    static List<String> firings(String ticket) {
        return probe().about(ticket).stream().map(s -> s.type() + " " + s.json().path("data").path("stage").asText()
                + " " + s.json().path("data").path("level").asInt(0)).sorted().toList();
    }

    @Test
    void twoReplicasAtOnceFireEveryTimerExactlyOnce() throws Exception {
        ServiceProcess a = startSla();
        ServiceProcess b = startSla();
        a.awaitReady();
        b.awaitReady();

        List<String> tickets = new ArrayList<>();
        Instant reported = Instant.now();
        for (int i = 0; i < 12; i++) {
            String t = UUID.randomUUID().toString();
            tickets.add(t);
            probe().send("ticket-events", t, ticketReceived(t, reported));
        }
        // RESPOND: warning 2.4 s, breach 3 s, level 1 at 3 s, level 2 at 9 s; DISPATCH_CONTACT breaches at 9 s
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

    @Test
    void timersThatFallDueWhileEveryReplicaIsKilledFireOnceWhenOneComesBack() throws Exception {
        ServiceProcess a = startSla();
        a.awaitReady();
        String ticket = UUID.randomUUID().toString();
        // reported 3 s ahead: RESPOND is due 6 s from now, well after the kill below
        probe().send("ticket-events", ticket, ticketReceived(ticket, Instant.now().plusSeconds(3)));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().baseUri(a.url())
                .get("/api/sla/tickets/" + ticket + "/clocks").then().statusCode(200));

        a.kill(); // kill -9 before the RESPOND deadline
        running.remove(a);
        // downtime, not polling: the RESPOND warning and breach fall due while nothing runs
        Thread.sleep(9_000);
        assertTrue(firings(ticket).stream().noneMatch(f -> f.startsWith("sla.breached")));

        ServiceProcess back = startSla();
        back.awaitReady();
        // it first lets its consumers catch up (the killed member's partitions move after the
        // 10 s session timeout), then fires what fell due
        await().atMost(Duration.ofSeconds(75)).until(() -> firings(ticket).contains("sla.breached RESPOND 0"));
        EventProbe.Seen breach = probe().ofType(ticket, "sla.breached").get(0);
        assertTrue(breach.json().path("data").path("late").asBoolean(), breach.value());
        assertTrue(breach.json().path("data").path("latenessMs").asLong() >= 1_000, breach.value());
        assertEquals(1, firings(ticket).stream().filter("sla.breached RESPOND 0"::equals).count());
        assertEquals(1, firings(ticket).stream().filter("sla.warning RESPOND 0"::equals).count());
    }
}

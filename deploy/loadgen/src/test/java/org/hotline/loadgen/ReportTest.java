package org.hotline.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The figures and the report folder from a synthetic run whose answers are known. */
class ReportTest {

    /** 100 tickets a second for 20 s; dispatched 10 + (i % 100) ms after receipt, armed after 5 ms, notified after 50 ms. */
    static Observations synthetic(Instant start) {
        Observations obs = new Observations();
        for (int i = 0; i < 2_000; i++) {
            Observations.Ticket t = obs.ticket(UUID.randomUUID());
            t.index = i;
            t.channel = i % 5 == 0 ? Scenario.Channel.FEED_110 : Scenario.Channel.REST;
            t.receivedAt = start.plusMillis(i * 10L);
            t.reportedAt = t.receivedAt.minusSeconds(3);
            t.receivedPublishedMs = t.receivedAt.toEpochMilli() + 2;
            t.receivedEventId = "e" + i;
            if (i != 7) { // one ticket never dispatched
                t.dispatchedAt = t.receivedAt.plusMillis(10 + i % 100);
                t.dispatchedPublishedMs = t.dispatchedAt.toEpochMilli() + 1;
            }
            t.armedAt = t.receivedAt.plusMillis(5);
            t.notifyDecidedAt = t.receivedAt.plusMillis(40);
            t.notifiedAt = t.receivedAt.plusMillis(50);
        }
        for (int i = 0; i < 30; i++) {
            obs.fires.add(new Observations.SlaFire(i % 3 == 0 ? "sla.breached" : "sla.warning", i % 2 == 0 ? "RESPOND" : "ON_SCENE",
                    0, i, start.plusSeconds(i), start.plusSeconds(i).plusMillis(i)));
        }
        obs.fires.add(new Observations.SlaFire("sla.escalated", "ON_SCENE", 1, 12, start, start.plusMillis(12)));
        return obs;
    }

    @Test
    void percentilesAndTheSustainedRateComeFromEventTimes() {
        Instant start = Instant.parse("2026-12-05T01:00:00Z");
        Observations obs = synthetic(start);
        Analysis a = new Analysis(start, 20, 5, 40, obs.received());
        assertEquals(1_500, a.steady.size()); // received in [5 s, 20 s)
        assertEquals(100.0, a.receivedPerSecond, 0.01);
        Analysis.Dist d = a.steadyDists.get("receipt → dispatched");
        assertEquals(1_500, d.n());
        assertEquals(59, d.p50(), 1);
        assertEquals(108, d.p99(), 1);
        assertEquals(109, d.max(), 0.1);
        assertEquals(50, a.steadyDists.get("receipt → dispatch notice sent").p99(), 0.1);
        assertEquals(5, a.steadyDists.get("receipt → clocks armed").p50(), 0.1);
        assertEquals(2, a.steadyDists.get("intake: receipt → ticket.received on Kafka").p50(), 0.1);
        // complete = the last of dispatched, armed, notified (within 110 ms): what completes after the window's
        // end is made up by what was received just before its start, so the system "keeps up" at 100/s
        assertEquals(100.0, a.sustainedPerSecond, 0.5);
        assertEquals(1, a.notDispatched);
        assertEquals(2_000, a.perSecond.get("received")[0] * 20);
        assertEquals(3_000, Analysis.pct(new long[] {1_000, 2_000, 3_000}, 99), 0);
        assertEquals(2_000, Analysis.pct(new long[] {1_000, 2_000, 3_000}, 50), 0);
    }

    @Test
    void writesMarkdownAndCharts(@TempDir Path dir) throws Exception {
        Instant start = Instant.parse("2026-12-05T01:00:00Z");
        Observations obs = synthetic(start);
        obs.count("ack lapsed");
        obs.outcomes.put(1L, "ticket");
        Analysis a = new Analysis(start, 20, 5, 40, obs.received());
        Stats stats = new Stats(40, System.nanoTime());
        stats.record("create ticket", 201, 12_000);
        stats.record("take", 409, 3_000);
        List<Map<String, Double>> cpu = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("intake-service", 0.5);
            m.put("postgres", 0.4);
            m.put("machine", 1.9);
            cpu.add(m);
        }
        Report.RunInfo info = new Report.RunInfo("java -jar loadgen.jar --rate 100", start.toString(), "2 × test cpu", "17",
                "PostgreSQL 15", 100, 20, 42, "T1", 2_000, 2_000, "13 units", Map.of("channel REST", 1_600L));
        Report.write(dir, info, a, stats, obs, cpu, List.of("intake-service", "postgres"),
                List.of(new Pgbench.Result(32, 7_000, 4.5, "tps = 7000")), Map.of("assignment.created CONSOLE SENT", 1_999L),
                List.of("a note"));
        for (String png : List.of("throughput.png", "latency.png", "latency-over-time.png", "lateness.png", "breaches.png", "cpu.png")) {
            Path p = dir.resolve(png);
            assertTrue(Files.size(p) > 5_000, png + " missing or empty");
            byte[] head = Files.readAllBytes(p);
            assertEquals((byte) 0x89, head[0]);
            assertEquals('P', head[1]);
        }
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("| receipt → dispatched | 1500 | 59.0 | "), md);
        assertTrue(md.contains("**sustained: tickets complete per second**"));
        assertTrue(md.contains("| ON_SCENE | 10 | 5 | 1 / 0 / 0 |"), md);
        assertTrue(md.contains("| 32 clients | 7,000 | 4.5 ms |"), md);
        assertTrue(md.contains("![throughput](throughput.png)"));
        assertTrue(Files.readString(dir.resolve("section.md")).startsWith("| 100.0/s × 20 s (seed 42) | 100.0 | **"));
        assertTrue(Files.readString(dir.resolve("summary.json")).contains("\"sustainedPerSecond\""));
    }

    @Test
    void durationsReadAsTheCommandLineWritesThem() {
        LoadGen.DurationConverter c = new LoadGen.DurationConverter();
        assertEquals(Duration.ofSeconds(60), c.convert("60s"));
        assertEquals(Duration.ofSeconds(60), c.convert("60"));
        assertEquals(Duration.ofMinutes(2), c.convert("2m"));
        assertEquals(Duration.ofSeconds(90), c.convert("1m30s"));
        assertEquals(Duration.ofMillis(500), c.convert("500ms"));
        assertEquals(Duration.ofSeconds(45), c.convert("PT45S"));
        assertEquals(Map.of("rest", 0.5, "110", 0.5, "12345", 0.0), LoadGen.parseMix("rest=0.5,110=0.5"));
    }

    @Test
    void policyDurationsScaleInEitherJacksonForm() {
        assertEquals(Duration.ofSeconds(6), Setup.scaled(Api.JSON.getNodeFactory().textNode("PT1M"), 0.1));
        assertEquals(Duration.ofSeconds(18), Setup.scaled(Api.JSON.getNodeFactory().textNode("180.000000000"), 0.1));
        assertEquals(Duration.ZERO, Setup.scaled(Api.JSON.getNodeFactory().textNode("PT0S"), 0.1));
    }
}

package org.hotline.loadgen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Writes the report folder: report.md, section.md (the lines docs/benchmarks.md takes), summary.json and the PNGs. */
public final class Report {

    /** Everything the report says about how the run was made. */
    public record RunInfo(String command, String started, String machine, String java, String postgres, double rate,
            int durationSeconds, long seed, String runTag, long planned, long sent, String setup, Map<String, Long> mix) {
    }

    public static final List<String> STAGES = List.of("RESPOND", "DISPATCH_CONTACT", "ON_SCENE", "RESOLVE");

    private Report() {
    }

    public static void write(Path dir, RunInfo info, Analysis a, Stats stats, Observations obs, List<Map<String, Double>> cpu,
            List<String> cpuGroups, List<Pgbench.Result> pgbench, Map<String, Long> notifications, List<String> notes)
            throws IOException {
        Files.createDirectories(dir);
        List<String> charts = new ArrayList<>();

        // 1. throughput over time
        Map<String, double[][]> tput = new LinkedHashMap<>();
        long[] sent = new long[a.seconds];
        for (int i = 0; i < a.seconds && i < stats.sentPerSecond.length(); i++) {
            sent[i] = stats.sentPerSecond.get(i);
        }
        tput.put("reports sent", Charts.perSecond(sent, a.seconds));
        a.perSecond.forEach((k, v) -> tput.put(k, Charts.perSecond(v, a.seconds)));
        if (Charts.lines(dir.resolve("throughput.png"), "Throughput per second (event times)", "per second", tput, false)) {
            charts.add("![throughput](throughput.png)");
        }
        // 2. latency percentiles
        List<String> measures = List.of("receipt → dispatched", "receipt → clocks armed", "receipt → dispatch notice sent",
                "receipt → complete");
        Map<String, List<Double>> pcts = new LinkedHashMap<>();
        for (String p : List.of("p50", "p90", "p99", "max")) {
            List<Double> v = new ArrayList<>();
            for (String m : measures) {
                Analysis.Dist d = a.steadyDists.get(m);
                v.add(switch (p) {
                    case "p50" -> d.p50();
                    case "p90" -> d.p90();
                    case "p99" -> d.p99();
                    default -> d.max();
                });
            }
            pcts.put(p, v);
        }
        if (a.steady.size() > 0 && Charts.bars(dir.resolve("latency.png"), "End-to-end latency from event times (steady window, ms, log scale)",
                "ms", measures.stream().map(m -> m.replace("receipt → ", "→ ")).toList(), pcts, true)) {
            charts.add("![latency percentiles](latency.png)");
        }
        Map<String, double[][]> overTime = new LinkedHashMap<>();
        overTime.putAll(prefix("dispatched ", Charts.columns(a.overTime(Analysis::dispatchedMs, 5), "p50", "p99")));
        overTime.putAll(prefix("notified ", Charts.columns(a.overTime(Analysis::notifiedMs, 5), "p50", "p99")));
        overTime.putAll(prefix("armed ", Charts.columns(a.overTime(Analysis::armedMs, 5), "p50", "p99")));
        if (Charts.lines(dir.resolve("latency-over-time.png"), "Receipt → dispatched / armed / notified, per 5 s of receipt (ms, log scale)",
                "ms", overTime, true)) {
            charts.add("![latency over time](latency-over-time.png)");
        }
        // 3. timer firing lateness
        List<Observations.SlaFire> fires = new ArrayList<>(obs.fires);
        List<double[]> lateRows = latenessOverTime(fires, a, 5);
        if (!lateRows.isEmpty() && Charts.lines(dir.resolve("lateness.png"),
                "SLA timer firing lateness (firedAt − dueAt, per 5 s of firing, ms, log scale)", "ms",
                Charts.columns(lateRows, "p50", "p99", "max"), true)) {
            charts.add("![timer lateness](lateness.png)");
        }
        // 4. breaches by stage
        Map<String, List<Double>> byStage = new LinkedHashMap<>();
        for (String type : List.of("sla.warning", "sla.breached", "sla.escalated")) {
            List<Double> v = new ArrayList<>();
            for (String s : STAGES) {
                v.add((double) fires.stream().filter(f -> f.type().equals(type) && s.equals(f.stage())).count());
            }
            byStage.put(type.substring(4) + (type.equals("sla.escalated") ? " (all levels)" : ""), v);
        }
        if (!fires.isEmpty() && Charts.bars(dir.resolve("breaches.png"), "Warnings, breaches and escalations by stage",
                "events", STAGES, byStage, false)) {
            charts.add("![breaches by stage](breaches.png)");
        }
        // 5. CPU by process
        if (!cpu.isEmpty()) {
            Map<String, double[][]> cores = new LinkedHashMap<>();
            for (String g : cpuGroups) {
                double[] x = new double[cpu.size()];
                double[] y = new double[cpu.size()];
                for (int i = 0; i < cpu.size(); i++) {
                    x[i] = i;
                    y[i] = cpu.get(i).getOrDefault(g, 0.0);
                }
                cores.put(g, new double[][] {x, y});
            }
            if (Charts.lines(dir.resolve("cpu.png"), "CPU by process (cores; the machine has "
                    + Runtime.getRuntime().availableProcessors() + ")", "cores", cores, false)) {
                charts.add("![cpu](cpu.png)");
            }
        }

        String md = markdown(info, a, stats, obs, fires, cpu, cpuGroups, pgbench, notifications, notes, charts);
        Files.writeString(dir.resolve("report.md"), md, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("section.md"), section(info, a, cpu, cpuGroups, pgbench), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("summary.json"), summary(info, a, stats, fires, pgbench).toPrettyString(), StandardCharsets.UTF_8);
    }

    private static Map<String, double[][]> prefix(String p, Map<String, double[][]> m) {
        Map<String, double[][]> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(p + k, v));
        return out;
    }

    static List<double[]> latenessOverTime(List<Observations.SlaFire> fires, Analysis a, int bucket) {
        Map<Integer, List<Long>> by = new TreeMap<>();
        for (Observations.SlaFire f : fires) {
            if (f.firedAt() == null) {
                continue;
            }
            int sec = (int) Math.floorDiv(Duration.between(a.start, f.firedAt()).toMillis(), 1000L);
            by.computeIfAbsent(sec / bucket * bucket, k -> new ArrayList<>()).add(f.latenessMs());
        }
        List<double[]> rows = new ArrayList<>();
        by.forEach((sec, v) -> {
            long[] s = v.stream().mapToLong(Long::longValue).sorted().toArray();
            rows.add(new double[] {sec, Analysis.pct(s, 50), Analysis.pct(s, 99), s[s.length - 1]});
        });
        return rows;
    }

    static String ms(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    static String n(double v) {
        return String.format(Locale.ROOT, "%,.1f", v);
    }

    private static String markdown(RunInfo info, Analysis a, Stats stats, Observations obs, List<Observations.SlaFire> fires,
            List<Map<String, Double>> cpu, List<String> cpuGroups, List<Pgbench.Result> pgbench, Map<String, Long> notifications,
            List<String> notes, List<String> charts) {
        StringBuilder b = new StringBuilder();
        b.append("# Load run ").append(info.runTag()).append("\n\n");
        b.append("- Started: ").append(info.started()).append('\n');
        b.append("- Command: `").append(info.command()).append("`\n");
        b.append("- Offered: ").append(n(info.rate())).append(" reports/s for ").append(info.durationSeconds())
                .append(" s, seed ").append(info.seed()).append(" (").append(info.planned()).append(" planned, ")
                .append(info.sent()).append(" sent)\n");
        b.append("- Machine: ").append(info.machine()).append("; Java ").append(info.java()).append('\n');
        b.append("- PostgreSQL: ").append(info.postgres()).append('\n');
        b.append("- Set-up: ").append(info.setup()).append("\n\n");

        b.append("## End to end (event times)\n\n");
        b.append("Steady window: tickets received from ").append(a.skipSeconds).append(" s to ").append(a.loadSeconds)
                .append(" s after the first report (").append(a.steady.size()).append(" tickets); all: ").append(a.tickets.size())
                .append(" tickets received.\n\n");
        b.append("| figure | value |\n|---|---|\n");
        b.append("| tickets received per second (steady window) | ").append(n(a.receivedPerSecond)).append(" |\n");
        b.append("| **sustained: tickets complete per second** (received, dispatched, clocks armed and dispatch notice sent, within the steady window) | **")
                .append(n(a.sustainedPerSecond)).append("** |\n");
        b.append("| last ticket complete | ").append(a.lastComplete == null ? "–"
                : String.format(Locale.ROOT, "%.1f s after the first report (load ended at %d s)",
                        Duration.between(a.start, a.lastComplete).toMillis() / 1000.0, a.loadSeconds)).append(" |\n");
        b.append("| never dispatched / armed / notified by the end of the drain | ").append(a.notDispatched).append(" / ")
                .append(a.notArmed).append(" / ").append(a.notNotified).append(" |\n\n");

        b.append("| measure (ms) | n | p50 | p90 | p99 | max | mean |\n|---|---|---|---|---|---|---|\n");
        for (Analysis.Dist d : a.steadyDists.values()) {
            b.append("| ").append(d.name()).append(" | ").append(d.n()).append(" | ").append(ms(d.p50())).append(" | ")
                    .append(ms(d.p90())).append(" | ").append(ms(d.p99())).append(" | ").append(ms(d.max())).append(" | ")
                    .append(ms(d.mean())).append(" |\n");
        }
        b.append("\nThe same over every ticket of the run (warm-up and drain included):\n\n");
        b.append("| measure (ms) | n | p50 | p90 | p99 | max |\n|---|---|---|---|---|---|\n");
        for (Analysis.Dist d : a.dists.values()) {
            b.append("| ").append(d.name()).append(" | ").append(d.n()).append(" | ").append(ms(d.p50())).append(" | ")
                    .append(ms(d.p90())).append(" | ").append(ms(d.p99())).append(" | ").append(ms(d.max())).append(" |\n");
        }
        b.append('\n');
        charts.forEach(c -> b.append(c).append("\n\n"));

        b.append("## SLA timers\n\n");
        if (fires.isEmpty()) {
            b.append("No warning, breach or escalation fired for this run's tickets.\n\n");
        } else {
            long[] late = fires.stream().mapToLong(Observations.SlaFire::latenessMs).sorted().toArray();
            b.append(String.format(Locale.ROOT, "%d timers fired for this run's tickets; lateness (firedAt − dueAt) p50 %s ms, p99 %s ms, max %s ms; %d more than 1 s late.%n%n",
                    late.length, ms(Analysis.pct(late, 50)), ms(Analysis.pct(late, 99)), ms(late[late.length - 1]),
                    fires.stream().filter(f -> f.latenessMs() > 1000).count()));
            b.append("| stage | warnings | breaches | escalations (level 1 / 2 / 3) |\n|---|---|---|---|\n");
            for (String s : STAGES) {
                b.append("| ").append(s).append(" | ").append(count(fires, "sla.warning", s, -1)).append(" | ")
                        .append(count(fires, "sla.breached", s, -1)).append(" | ").append(count(fires, "sla.escalated", s, 1))
                        .append(" / ").append(count(fires, "sla.escalated", s, 2)).append(" / ")
                        .append(count(fires, "sla.escalated", s, 3)).append(" |\n");
            }
            b.append('\n');
        }

        b.append("## What happened (this run's events and outcomes)\n\n| what | count |\n|---|---|\n");
        Map<String, Long> outcomes = new TreeMap<>();
        obs.outcomes.values().forEach(o -> outcomes.merge("report outcome: " + o, 1L, Long::sum));
        outcomes.forEach((k, v) -> b.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        obs.counters().forEach((k, v) -> b.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        info.mix().forEach((k, v) -> b.append("| planned: ").append(k).append(" | ").append(v).append(" |\n"));
        notifications.forEach((k, v) -> b.append("| notification ").append(k).append(" | ").append(v).append(" |\n"));
        b.append('\n');

        b.append("## Client side (what the load generator saw; not the end-to-end figures)\n\n");
        b.append("| request | total | 2xx | 409 | other 4xx | 5xx | no answer | statuses | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        stats.kinds().forEach((k, s) -> b.append("| ").append(k).append(" | ").append(s.total() == 0 ? s.micros.getTotalCount() : s.total())
                .append(" | ").append(s.ok.sum())
                .append(" | ").append(s.conflict.sum()).append(" | ").append(s.clientError.sum()).append(" | ")
                .append(s.serverError.sum()).append(" | ").append(s.ioError.sum()).append(" | ")
                .append(new TreeMap<>(s.byStatus).entrySet().stream().map(e -> (e.getKey() == 0 ? "none" : e.getKey()) + "×" + e.getValue().sum())
                        .reduce((x, y) -> x + " " + y).orElse("")).append(" | ")
                .append(ms(s.micros.getValueAtPercentile(50) / 1000.0)).append(" | ")
                .append(ms(s.micros.getValueAtPercentile(99) / 1000.0)).append(" | ").append(ms(s.micros.getMaxValue() / 1000.0))
                .append(" |\n"));
        b.append('\n');

        if (!cpu.isEmpty()) {
            b.append("## CPU (cores, from /proc, averaged)\n\n");
            b.append(cpuTable(cpu, cpuGroups, a));
        }
        if (!pgbench.isEmpty()) {
            b.append("## PostgreSQL ceiling (pgbench, same server, same run, after the load)\n\n| pgbench single-row insert | tps | latency avg |\n|---|---|---|\n");
            pgbench.forEach(p -> b.append("| ").append(p.clients()).append(" client").append(p.clients() == 1 ? "" : "s").append(" | ")
                    .append(String.format(Locale.ROOT, "%,.0f", p.tps())).append(" | ").append(ms(p.latencyMs())).append(" ms |\n"));
            b.append('\n');
        }
        if (!notes.isEmpty()) {
            b.append("## Notes\n\n");
            notes.forEach(x -> b.append("- ").append(x).append('\n'));
            b.append('\n');
        }
        b.append("## Method\n\n");
        b.append("- Receipt = intake's `receivedAt` in `ticket.received`; dispatched = `dispatchedAt` of the ticket's first lead ")
                .append("`assignment.created`; clocks armed = sla-timer-service's inbox row (`sla.processed_event.processed_at`) for the ")
                .append("ticket's `ticket.received`, written in the arming transaction; notified = the earliest ")
                .append("`notification.sent_at` (and `created_at`, decided) of the ticket's `assignment.created` notifications (the dispatch notice to the unit: console, SMS); complete = the last of the three. ")
                .append("Kafka publish times are the records' timestamps. All on one machine clock.\n");
        b.append("- Sustained rate = tickets whose complete time falls in the steady window ÷ its length: when the system ")
                .append("keeps up it equals the received rate; when it falls behind, the backlog shows as the difference and as ")
                .append("the time the last ticket took to complete after the load stopped.\n");
        b.append("- Reports are sent open loop at the offered rate; REST latencies in the client table count from each report's ")
                .append("due instant when marked so.\n");
        return b.toString();
    }

    private static long count(List<Observations.SlaFire> fires, String type, String stage, int level) {
        return fires.stream().filter(f -> f.type().equals(type) && stage.equals(f.stage()) && (level < 0 || f.level() == level)).count();
    }

    static String cpuTable(List<Map<String, Double>> cpu, List<String> groups, Analysis a) {
        StringBuilder b = new StringBuilder();
        int from = Math.min(a.skipSeconds, cpu.size());
        int to = Math.min(a.loadSeconds, cpu.size());
        Map<String, Double> avg = new LinkedHashMap<>();
        int count = 0;
        for (int i = from; i < to; i++) {
            cpu.get(i).forEach((k, v) -> avg.merge(k, v, Double::sum));
            count++;
        }
        if (count == 0) {
            return "";
        }
        final int c = count;
        avg.replaceAll((k, v) -> v / c);
        b.append("Steady window (").append(from).append("–").append(to).append(" s):\n\n| process | cores |\n|---|---|\n");
        for (String g : groups) {
            b.append("| ").append(g).append(" | ").append(String.format(Locale.ROOT, "%.2f", avg.getOrDefault(g, 0.0))).append(" |\n");
        }
        b.append("| **machine busy** | **").append(String.format(Locale.ROOT, "%.2f", avg.getOrDefault("machine", 0.0)))
                .append("** of ").append(Runtime.getRuntime().availableProcessors()).append(" |\n\n");
        return b.toString();
    }

    /** The lines a benchmark document takes for this run. */
    static String section(RunInfo info, Analysis a, List<Map<String, Double>> cpu, List<String> groups, List<Pgbench.Result> pgbench) {
        StringBuilder b = new StringBuilder();
        Analysis.Dist d = a.steadyDists.get("receipt → dispatched");
        Analysis.Dist armed = a.steadyDists.get("receipt → clocks armed");
        Analysis.Dist nt = a.steadyDists.get("receipt → dispatch notice sent");
        Analysis.Dist all = a.steadyDists.get("receipt → complete");
        b.append(String.format(Locale.ROOT, "| %s/s × %d s (seed %d) | %s | **%s** | %s / %s | %s / %s | %s / %s | %s / %s | %d / %d / %d |%n",
                n(info.rate()), info.durationSeconds(), info.seed(), n(a.receivedPerSecond), n(a.sustainedPerSecond),
                ms(d.p50()), ms(d.p99()), ms(armed.p50()), ms(armed.p99()), ms(nt.p50()), ms(nt.p99()), ms(all.p50()), ms(all.p99()),
                a.notDispatched, a.notArmed, a.notNotified));
        return b.toString();
    }

    private static ObjectNode summary(RunInfo info, Analysis a, Stats stats, List<Observations.SlaFire> fires,
            List<Pgbench.Result> pgbench) {
        ObjectNode s = Api.JSON.createObjectNode();
        s.put("runTag", info.runTag()).put("started", info.started()).put("command", info.command());
        s.put("rate", info.rate()).put("durationSeconds", info.durationSeconds()).put("seed", info.seed());
        s.put("planned", info.planned()).put("sent", info.sent()).put("ticketsReceived", a.tickets.size());
        s.put("steadyTickets", a.steady.size()).put("receivedPerSecond", a.receivedPerSecond)
                .put("sustainedPerSecond", a.sustainedPerSecond);
        s.put("notDispatched", a.notDispatched).put("notArmed", a.notArmed).put("notNotified", a.notNotified);
        ObjectNode dists = s.putObject("steadyMs");
        a.steadyDists.forEach((k, d) -> dists.putObject(k).put("n", d.n()).put("p50", d.p50()).put("p90", d.p90())
                .put("p99", d.p99()).put("max", d.max()));
        s.put("clientErrors", stats.errors.sum());
        s.put("timersFired", fires.size());
        pgbench.forEach(p -> s.put("pgbenchTps" + p.clients(), p.tps()));
        return s;
    }
}

package org.hotline.loadgen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code loadgen jfr-summary --from 2026-12-05T01:00:00Z --to … intake-service=intake.jfr …}: where each
 * service's CPU went, from its JFR recording (-XX:StartFlightRecording, settings=profile), within the
 * load window: the process's CPU (jdk.CPULoad), GC pauses, and the execution samples grouped by the
 * library of the top frame, the hottest methods, and the project's own frames nearest the top.
 */
@Command(name = "jfr-summary", mixinStandardHelpOptions = true,
        description = "Summarises JFR recordings (one per service) as Markdown: CPU, GC, hot libraries and methods.")
public final class JfrSummary implements Callable<Integer> {

    @Parameters(description = "name=path.jfr, one per process")
    List<String> recordings = new ArrayList<>();

    @Option(names = "--from", description = "start of the window (ISO instant); default: the whole recording")
    Instant from;

    @Option(names = "--to", description = "end of the window (ISO instant)")
    Instant to;

    @Option(names = "--top", defaultValue = "12")
    int top;

    @Option(names = "--out", description = "Markdown file (default: standard output)")
    Path out;

    /** One recording's figures. */
    public record Profile(String name, long samples, double cpuCores, double gcPauseMs, long gcCount,
            Map<String, Long> byLibrary, Map<String, Long> topMethods, Map<String, Long> ownFrames,
            Map<String, Double> threadCores) {
    }

    @Override
    public Integer call() throws Exception {
        StringBuilder b = new StringBuilder();
        for (String r : recordings) {
            int eq = r.indexOf('=');
            String name = eq > 0 ? r.substring(0, eq) : Path.of(r).getFileName().toString();
            Path file = Path.of(eq > 0 ? r.substring(eq + 1) : r);
            b.append(markdown(read(name, file, from, to, top)));
        }
        if (out != null) {
            Files.writeString(out, b.toString(), StandardCharsets.UTF_8);
        } else {
            System.out.print(b);
        }
        return 0;
    }

    public static Profile read(String name, Path file, Instant from, Instant to, int top) throws IOException {
        Map<String, Long> libs = new HashMap<>();
        Map<String, Long> methods = new HashMap<>();
        Map<String, Long> own = new HashMap<>();
        long samples = 0;
        double cpuSum = 0;
        int cpuN = 0;
        double gcMs = 0;
        long gcN = 0;
        int cores = Runtime.getRuntime().availableProcessors();
        Map<String, double[]> perThread = new HashMap<>(); // thread → {sum of load, samples}
        Map<String, String> groupOf = new HashMap<>();
        java.util.Set<Long> rounds = new java.util.HashSet<>(); // the periods jdk.ThreadCPULoad was taken in
        try (RecordingFile rf = new RecordingFile(file)) {
            while (rf.hasMoreEvents()) {
                RecordedEvent e = rf.readEvent();
                Instant t = e.getStartTime();
                if ((from != null && t.isBefore(from)) || (to != null && t.isAfter(to))) {
                    continue;
                }
                switch (e.getEventType().getName()) {
                    case "jdk.ExecutionSample" -> {
                        RecordedStackTrace st = e.getStackTrace();
                        if (st == null || st.getFrames().isEmpty()) {
                            continue;
                        }
                        samples++;
                        RecordedFrame f = st.getFrames().get(0);
                        RecordedMethod m = f.getMethod();
                        String cls = m.getType().getName();
                        libs.merge(library(cls), 1L, Long::sum);
                        methods.merge(simple(cls) + "." + m.getName(), 1L, Long::sum);
                        for (RecordedFrame fr : st.getFrames()) {
                            String c = fr.getMethod().getType().getName();
                            if (c.startsWith("org.hotline.")) {
                                own.merge(simple(c) + "." + fr.getMethod().getName(), 1L, Long::sum);
                                break;
                            }
                        }
                    }
                    case "jdk.CPULoad" -> {
                        cpuSum += (e.getFloat("jvmUser") + e.getFloat("jvmSystem")) * cores;
                        cpuN++;
                    }
                    case "jdk.ThreadCPULoad" -> {
                        if (e.getThread() == null) {
                            continue;
                        }
                        String thread = e.getThread().getJavaName() != null ? e.getThread().getJavaName() : e.getThread().getOSName();
                        String key = thread + "#" + e.getThread().getJavaThreadId();
                        double[] acc = perThread.computeIfAbsent(key, k -> new double[2]);
                        acc[0] += (e.getFloat("user") + e.getFloat("system")) * cores;
                        acc[1]++;
                        rounds.add(e.getStartTime().getEpochSecond());
                        groupOf.put(key, threadGroup(thread));
                    }
                    case "jdk.GarbageCollection" -> {
                        gcMs += e.getDuration("sumOfPauses").toNanos() / 1e6;
                        gcN++;
                    }
                    default -> {
                        // not summarised
                    }
                }
            }
        }
        Map<String, Double> threads = new HashMap<>();
        int periods = Math.max(1, rounds.size());
        perThread.forEach((k, acc) -> threads.merge(groupOf.get(k), acc[0] / periods, Double::sum));
        Map<String, Double> topThreads = new LinkedHashMap<>();
        threads.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(top)
                .forEach(x -> topThreads.put(x.getKey(), x.getValue()));
        return new Profile(name, samples, cpuN == 0 ? Double.NaN : cpuSum / cpuN, gcMs, gcN, topOf(libs, top),
                topOf(methods, top), topOf(own, top), topThreads);
    }

    static String library(String cls) {
        String[][] known = {
                {"org.hotline.", "project code (org.hotline)"}, {"org.hibernate.validator", "Hibernate Validator"},
                {"org.hibernate.", "Hibernate ORM"},
                {"org.postgresql.", "PostgreSQL JDBC"}, {"io.agroal.", "Agroal pool"},
                {"com.fasterxml.jackson.", "Jackson"}, {"org.apache.kafka.", "Kafka client"},
                {"io.smallrye.reactive.messaging", "SmallRye Reactive Messaging"}, {"io.smallrye.jwt", "SmallRye JWT"},
                {"org.jose4j.", "jose4j (JWT)"}, {"io.vertx.", "Vert.x"}, {"io.netty.", "Netty"},
                {"org.jboss.resteasy.", "RESTEasy Reactive"}, {"io.quarkus.", "Quarkus"}, {"io.micrometer.", "Micrometer"},
                {"org.jboss.logmanager.", "JBoss logging"}, {"org.jboss.logging.", "JBoss logging"},
                {"io.smallrye.", "SmallRye (other)"},
                {"com.arjuna.", "Narayana transactions"}, {"io.netty", "Netty"},
                {"java.util.regex.", "JDK regex"}, {"java.util.concurrent.", "JDK concurrency"},
                {"sun.security.", "JDK crypto"}, {"java.security.", "JDK crypto"}, {"sun.nio.", "JDK I/O"},
                {"java.io.", "JDK I/O"}, {"java.", "JDK (other)"}, {"jdk.", "JDK (other)"}, {"sun.", "JDK (other)"}};
        for (String[] k : known) {
            if (cls.startsWith(k[0])) {
                return k[1];
            }
        }
        int dots = 0;
        for (int i = 0; i < cls.length(); i++) {
            if (cls.charAt(i) == '.' && ++dots == 2) {
                return cls.substring(0, i);
            }
        }
        return cls;
    }

    /** "executor-thread-12" → "executor-thread-#", "C2 CompilerThread0" → "C2 CompilerThread#". */
    static String threadGroup(String thread) {
        return thread == null ? "?" : thread.replaceAll("-\\d+", "-#").replaceAll("\\d+$", "#");
    }

    private static String simple(String cls) {
        int i = cls.lastIndexOf('.');
        return i < 0 ? cls : cls.substring(i + 1);
    }

    private static Map<String, Long> topOf(Map<String, Long> m, int n) {
        Map<String, Long> out = new LinkedHashMap<>();
        m.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n)
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    public static String markdown(Profile p) {
        StringBuilder b = new StringBuilder();
        b.append("#### ").append(p.name()).append("\n\n");
        b.append(String.format(Locale.ROOT, "CPU %.2f cores (jdk.CPULoad, process), %d execution samples, GC %d collections with %.0f ms of pauses.%n%n",
                p.cpuCores(), p.samples(), p.gcCount(), p.gcPauseMs()));
        if (!p.threadCores().isEmpty()) {
            b.append("| threads (jdk.ThreadCPULoad, averaged over the window; Java threads only: GC threads are not in it) | cores |\n|---|---|\n");
            p.threadCores().forEach((k, v) -> b.append("| `").append(k).append("` | ")
                    .append(String.format(Locale.ROOT, "%.3f", v)).append(" |\n"));
            b.append('\n');
        }
        b.append("| top frame in | share of samples |\n|---|---|\n");
        p.byLibrary().forEach((k, v) -> b.append("| ").append(k).append(" | ").append(pct(v, p.samples())).append(" |\n"));
        b.append("\n| hottest methods (top frame) | share |\n|---|---|\n");
        p.topMethods().forEach((k, v) -> b.append("| `").append(k).append("` | ").append(pct(v, p.samples())).append(" |\n"));
        b.append("\n| project frame nearest the top | share |\n|---|---|\n");
        p.ownFrames().forEach((k, v) -> b.append("| `").append(k).append("` | ").append(pct(v, p.samples())).append(" |\n"));
        b.append('\n');
        return b.toString();
    }

    private static String pct(long v, long total) {
        return total == 0 ? "–" : String.format(Locale.ROOT, "%.1f %%", 100.0 * v / total);
    }

    /** A window's length, for callers that print it. */
    public static Duration window(Instant from, Instant to) {
        return from == null || to == null ? Duration.ZERO : Duration.between(from, to);
    }
}

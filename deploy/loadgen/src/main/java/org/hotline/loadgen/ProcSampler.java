package org.hotline.loadgen;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the machine's CPU goes, once a second from /proc (Linux): each named process (the four
 * services and the broker, by pid), every {@code postgres} process together, this load generator,
 * and everything else (the machine's busy time minus those). Values are cores (1.0 = one core busy).
 */
public final class ProcSampler implements AutoCloseable {

    private static final double TICKS = 100.0; // USER_HZ on Linux

    private final Map<String, Long> pids;
    private final List<String> groups = new ArrayList<>();
    /** Per second: group → cores. */
    public final List<Map<String, Double>> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    public ProcSampler(Map<String, Long> pids) {
        this.pids = new LinkedHashMap<>(pids);
        groups.addAll(this.pids.keySet());
        groups.add("postgres");
        groups.add("loadgen");
        groups.add("other");
        thread = new Thread(this::loop, "loadgen-proc");
        thread.setDaemon(true);
    }

    public static boolean available() {
        return Files.isReadable(Path.of("/proc/stat"));
    }

    public List<String> groups() {
        return groups;
    }

    public void start() {
        thread.start();
    }

    private void loop() {
        Map<String, Long> last = read();
        long lastNanos = System.nanoTime();
        while (running) {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                return;
            }
            Map<String, Long> now = read();
            long nanos = System.nanoTime();
            double seconds = (nanos - lastNanos) / 1e9;
            Map<String, Double> cores = new LinkedHashMap<>();
            double named = 0;
            for (String g : groups) {
                if (g.equals("other")) {
                    continue;
                }
                double c = Math.max(0, now.getOrDefault(g, 0L) - last.getOrDefault(g, 0L)) / TICKS / seconds;
                cores.put(g, c);
                named += c;
            }
            double busy = Math.max(0, now.getOrDefault("machine", 0L) - last.getOrDefault("machine", 0L)) / TICKS / seconds;
            cores.put("other", Math.max(0, busy - named));
            cores.put("machine", busy);
            synchronized (samples) {
                samples.add(cores);
            }
            last = now;
            lastNanos = nanos;
        }
    }

    /** Cumulative ticks per group. */
    private Map<String, Long> read() {
        Map<String, Long> ticks = new LinkedHashMap<>();
        pids.forEach((name, pid) -> ticks.put(name, ticksOf(pid)));
        ticks.put("loadgen", ticksOf(ProcessHandle.current().pid()));
        long pg = 0;
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path p : procs) {
                try {
                    if (Files.readString(p.resolve("comm")).trim().equals("postgres")) {
                        pg += ticksOf(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException | RuntimeException e) {
                    // the process ended meanwhile
                }
            }
        } catch (IOException e) {
            // no /proc
        }
        ticks.put("postgres", pg);
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < cpu.length && i <= 8; i++) {
                if (i != 4 && i != 5) { // idle, iowait
                    busy += Long.parseLong(cpu[i]);
                }
            }
            ticks.put("machine", busy);
        } catch (IOException | RuntimeException e) {
            ticks.put("machine", 0L);
        }
        return ticks;
    }

    /** utime + stime of a process, 0 if it is gone. Its children's time is not counted. */
    static long ticksOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Average cores per group over samples [from, to). */
    public Map<String, Double> average(int from, int to) {
        Map<String, Double> avg = new LinkedHashMap<>();
        synchronized (samples) {
            int n = 0;
            for (int i = Math.max(0, from); i < Math.min(to, samples.size()); i++) {
                samples.get(i).forEach((k, v) -> avg.merge(k, v, Double::sum));
                n++;
            }
            if (n > 0) {
                final int count = n;
                avg.replaceAll((k, v) -> v / count);
            }
        }
        return avg;
    }

    public List<Map<String, Double>> snapshot() {
        synchronized (samples) {
            return new ArrayList<>(samples);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}

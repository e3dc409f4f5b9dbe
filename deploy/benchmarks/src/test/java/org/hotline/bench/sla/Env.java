package org.hotline.bench.sla;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The machine and software a run measured on, for the report. */
final class Env {

    String date = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    String cpu = "?";
    int nproc = Runtime.getRuntime().availableProcessors();
    String memory = "?";
    String os = "?";
    String postgres = "?";
    String postgresSettings = "?";
    String java = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
    String code = "?";
    String serviceJar = "?";

    static Env capture(Path root) {
        Env e = new Env();
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    e.cpu = l.substring(l.indexOf(':') + 1).strip();
                    break;
                }
            }
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal")) {
                    long kb = Long.parseLong(l.replaceAll("\\D", ""));
                    e.memory = String.format("%.1f GiB", kb / 1024.0 / 1024.0);
                }
            }
            for (String l : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (l.startsWith("PRETTY_NAME=")) {
                    e.os = l.substring(12).replace("\"", "");
                }
            }
        } catch (IOException ignored) {
            // not Linux: leave "?"
        }
        try (Connection c = Pg.connect("postgres", null)) {
            e.postgres = Pg.queryString(c, "select version()");
            e.postgresSettings = Pg.queryString(c, "select string_agg(name || '=' || current_setting(name), ', '"
                    + " order by name) from pg_settings where name in ('shared_buffers', 'max_wal_size',"
                    + " 'synchronous_commit', 'fsync', 'work_mem', 'max_connections', 'autovacuum')");
        } catch (Exception ex) {
            e.postgres = "? (" + ex + ")";
        }
        String head = run(root, "git", "rev-parse", "--short", "HEAD");
        String dirty = run(root, "git", "status", "--porcelain", "--untracked-files=no");
        e.code = "commit " + head;
        if (dirty != null && !dirty.isBlank()) {
            String benchDir = "deploy/benchmarks/src/test/java/org/hotline/bench/sla/";
            List<String> other = new ArrayList<>();
            int bench = 0;
            for (String line : dirty.split("\n")) {
                String path = line.strip().replaceFirst("^\\S+\\s+", ""); // "XY path"
                if (path.startsWith(benchDir)) {
                    bench++;
                } else {
                    other.add(path);
                }
            }
            if (bench > 0) {
                other.add(0, benchDir + " (" + bench + " files)");
            }
            e.code += "; uncommitted changes in " + String.join(", ", other);
        }
        Path jar = root.resolve("sla-timer-service/target/quarkus-app/app/sla-timer-service-0.1.0-SNAPSHOT.jar");
        try {
            e.serviceJar = "built " + Files.getLastModifiedTime(jar).toInstant().truncatedTo(ChronoUnit.SECONDS);
        } catch (IOException ex) {
            e.serviceJar = "?";
        }
        return e;
    }

    private static String run(Path dir, String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (Exception ex) {
            return null;
        }
    }
}

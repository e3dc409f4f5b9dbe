package org.hotline.loadgen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ceiling beside the run: pgbench's raw single-row insert rate on the same PostgreSQL server,
 * in a scratch database it creates and drops ({@code loadgen_pgbench}), the same statement the intake
 * benchmark uses (a uuid key and a few columns, like a slim ticket row), with 32 clients and with 1.
 */
public final class Pgbench {

    public record Result(int clients, double tps, double latencyMs, String raw) {
    }

    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final String adminUrl;

    public Pgbench(String jdbcUrl, String user, String password) {
        Matcher m = Pattern.compile("jdbc:postgresql://([^:/]+)(?::(\\d+))?/([^?]+).*").matcher(jdbcUrl);
        if (!m.matches()) {
            throw new IllegalArgumentException("cannot read host and port from " + jdbcUrl);
        }
        this.host = m.group(1);
        this.port = m.group(2) == null ? 5432 : Integer.parseInt(m.group(2));
        this.user = user;
        this.password = password;
        this.adminUrl = "jdbc:postgresql://" + host + ":" + port + "/postgres";
    }

    public static boolean available() {
        try {
            return new ProcessBuilder("pgbench", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    public List<Result> run(int seconds, int... clientCounts) throws Exception {
        String db = "loadgen_pgbench";
        try (Connection c = DriverManager.getConnection(adminUrl, user, password); Statement s = c.createStatement()) {
            s.execute("drop database if exists " + db);
            s.execute("create database " + db);
        }
        Path script = Files.createTempFile("loadgen-pgbench", ".sql");
        try {
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + db, user, password);
                    Statement s = c.createStatement()) {
                s.execute("create table t (id uuid primary key, street text not null, category text not null,"
                        + " description text not null, created_at timestamptz not null)");
            }
            Files.writeString(script, "insert into t values (gen_random_uuid(), 'wukang', 'NOISE', 'benchmark report', now());\n");
            List<Result> out = new ArrayList<>();
            for (int clients : clientCounts) {
                List<String> cmd = List.of("pgbench", "-n", "-h", host, "-p", String.valueOf(port), "-U", user, "-c",
                        String.valueOf(clients), "-j", String.valueOf(Math.min(clients, Runtime.getRuntime().availableProcessors())),
                        "-T", String.valueOf(seconds), "-f", script.toString(), db);
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
                if (password != null && !password.isEmpty()) {
                    pb.environment().put("PGPASSWORD", password);
                }
                Process p = pb.start();
                String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
                out.add(new Result(clients, number(output, "tps = ([0-9.]+)"), number(output, "latency average = ([0-9.]+) ms"),
                        output.lines().filter(l -> l.startsWith("tps") || l.startsWith("latency")).reduce((a, b) -> a + "; " + b)
                                .orElse(output.strip())));
            }
            return out;
        } finally {
            Files.deleteIfExists(script);
            try (Connection c = DriverManager.getConnection(adminUrl, user, password); Statement s = c.createStatement()) {
                s.execute("drop database if exists " + db);
            } catch (SQLException e) {
                System.err.println("loadgen: could not drop " + db + ": " + e.getMessage());
            }
        }
    }

    private static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }
}

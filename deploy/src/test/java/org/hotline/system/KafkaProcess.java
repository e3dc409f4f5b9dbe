package org.hotline.system;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.awaitility.Awaitility;

/**
 * A one-node KRaft broker (combined broker and controller) in a process of its own, run from the
 * Apache Kafka jars already on the test class path, on fixed ports and a kept data directory: the
 * fault tests kill it with SIGKILL and start it again where the services left it, which the test
 * kit's in-JVM broker cannot do.
 */
final class KafkaProcess {

    private final Path dir;
    private final int port;
    private final int controllerPort;
    private final Path properties;
    private Process process;

    KafkaProcess(Path dir) {
        this.dir = dir;
        this.port = freePort();
        int c;
        do {
            c = freePort();
        } while (c == port);
        this.controllerPort = c;
        this.properties = dir.resolve("server.properties");
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    KafkaProcess start() throws IOException {
        if (process == null) {
            format();
        }
        process = java("kafka.Kafka", properties.toString())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("kafka.log").toFile())).start();
        awaitReady();
        return this;
    }

    /** SIGKILL: no controlled shutdown, the log recovered on the next start as after a crash. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Graceful shutdown (SIGTERM), for the end of the test. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    private void format() throws IOException {
        Files.createDirectories(dir);
        Files.writeString(properties, """
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@127.0.0.1:%d
                controller.listener.names=CONTROLLER
                listeners=PLAINTEXT://127.0.0.1:%d,CONTROLLER://127.0.0.1:%d
                advertised.listeners=PLAINTEXT://127.0.0.1:%d
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
                log.dirs=%s
                auto.create.topics.enable=false
                offsets.topic.replication.factor=1
                offsets.topic.num.partitions=5
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                min.insync.replicas=1
                group.initial.rebalance.delay.ms=0
                log.cleaner.dedupe.buffer.size=8388608
                """.formatted(controllerPort, port, controllerPort, port, dir.resolve("data")));
        try {
            Process f = java("kafka.tools.StorageTool", "format", "--ignore-formatted", "-t",
                    base64Uuid(), "-c", properties.toString())
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("format.log").toFile())).start();
            if (!f.waitFor(60, TimeUnit.SECONDS) || f.exitValue() != 0) {
                throw new IllegalStateException("Kafka storage format failed, see " + dir.resolve("format.log"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private ProcessBuilder java(String main, String... args) throws IOException {
        // the test class path, passed in a file: it is long
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path argFile = dir.resolve("classpath.args");
        Files.writeString(argFile, "-cp \"" + cp.replace("\\", "\\\\") + "\"\n");
        ProcessBuilder pb = new ProcessBuilder();
        pb.command().addAll(java.util.List.of("java", "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Djava.awt.headless=true", "@" + argFile, main));
        pb.command().addAll(java.util.List.of(args));
        pb.redirectErrorStream(true);
        return pb;
    }

    private void awaitReady() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        Awaitility.await("Kafka broker on " + bootstrap()).atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("Kafka broker exited with " + process.exitValue() + ", see "
                                + dir.resolve("kafka.log"));
                    }
                    if (!listening()) {
                        return false;
                    }
                    try (Admin admin = Admin.create(p)) {
                        return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
                    } catch (Exception e) {
                        return false;
                    }
                });
    }

    private boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A KRaft cluster id: 16 random bytes, URL-safe base64 without padding, never starting with '-'
     * (one in 64 would: the storage tool then reads it as an option and fails, as CI saw once; Kafka's
     * own generator skips those too).
     */
    static String base64Uuid() {
        while (true) {
            UUID u = UUID.randomUUID();
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
            b.putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
            String id = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
            if (!id.startsWith("-")) {
                return id;
            }
        }
    }

    static int freePort() {
        return Ports.free();
    }

    File log() {
        return dir.resolve("kafka.log").toFile();
    }
}

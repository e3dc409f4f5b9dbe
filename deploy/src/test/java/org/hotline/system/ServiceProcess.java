package org.hotline.system;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;

/** One service started from its packaged quarkus-run.jar, as the local run starts it. */
final class ServiceProcess {

    final String name;
    final int port;
    private final Map<String, String> env;
    private Process process;

    ServiceProcess(String name, Map<String, String> env) {
        this.name = name;
        this.port = freePort();
        this.env = new HashMap<>(env);
        this.env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        // production profile, verifying tokens with backbone's test key pair (Api mints them)
        this.env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION",
                root().resolve("backbone/src/test/resources/test-jwt/public.pem").toUri().toString());
        this.env.put("MP_JWT_VERIFY_ISSUER", org.hotline.backbone.testing.TestTokens.ISSUER);
        // packaged services refuse the development default of the one-tap link secret
        this.env.put("HOTLINE_ACK_TOKEN_SECRET", "system-test-ack-secret-0123456789abcdef");
        // the test JVM's broker is a single node: production's replication factor 3 cannot be reached
        this.env.put("HOTLINE_KAFKA_REPLICATION_FACTOR", "1");
        this.env.put("HOTLINE_KAFKA_MIN_INSYNC_REPLICAS", "1");
        this.env.put("NOTIFICATION_WEBHOOK_SECRET", "system-test-webhook-secret-0123456789abcdef");
    }

    static Path root() {
        return Path.of(System.getProperty("hotline.root", "..")).toAbsolutePath().normalize();
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    ServiceProcess start(Map<String, String> extraEnv) throws IOException {
        return start(extraEnv, null);
    }

    /**
     * Started with its host clock shifted by {@code clockShift} (Debian's libfaketime: the JVM reads a
     * wall clock that far off, as on a host whose NTP failed); null: the real clock.
     */
    ServiceProcess start(Map<String, String> extraEnv, Duration clockShift) throws IOException {
        Path jar = root().resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " missing: package the services first (the reactor does)");
        }
        Path logs = root().resolve("deploy/target/system-logs");
        Files.createDirectories(logs);
        ProcessBuilder pb = new ProcessBuilder("java", "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", jar.toString());
        pb.environment().putAll(env);
        if (clockShift != null) {
            // preloaded into the JVM itself (not through the faketime wrapper, whose child a kill would
            // orphan); only the wall clock is shifted, timeouts and sleeps run on the monotonic one
            pb.environment().put("LD_PRELOAD", "/usr/$LIB/faketime/libfaketime.so.1");
            pb.environment().put("FAKETIME", (clockShift.isNegative() ? "" : "+") + clockShift.toSeconds() + "s");
            pb.environment().put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
        }
        pb.environment().putAll(extraEnv);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(new File(logs.toFile(), name + ".log")));
        process = pb.start();
        return this;
    }

    void awaitReady() {
        Awaitility.await(name + " ready").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(name + " exited with " + process.exitValue()
                                + "; see deploy/target/system-logs/" + name + ".log");
                    }
                    return status("/q/health/ready") == 200;
                });
    }

    int status(String path) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url() + path).toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(3000);
            return c.getResponseCode();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The body of a GET (health details for a failure message); null when it cannot be read. */
    String body(String path) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url() + path).toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(3000);
            java.io.InputStream in = c.getResponseCode() < 400 ? c.getInputStream() : c.getErrorStream();
            return in == null ? null : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no graceful drain, as a crash. */
    void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM: graceful shutdown. */
    void stop() throws InterruptedException {
        stopAll(List.of(this));
    }

    /**
     * SIGTERM to every one first, then the wait: a service's graceful stop takes 3-11 s (its Kafka
     * consumers leave their groups one channel after another), so stopping a system's eight one
     * after another took a minute of each test class.
     */
    static void stopAll(Collection<ServiceProcess> processes) throws InterruptedException {
        List<Process> stopping = new ArrayList<>();
        for (ServiceProcess p : processes) {
            if (p != null && p.process != null && p.process.isAlive()) {
                p.process.destroy();
                stopping.add(p.process);
            }
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        for (Process p : stopping) {
            if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
    }

    private static int freePort() {
        return Ports.free();
    }
}

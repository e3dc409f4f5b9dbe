package org.hotline.bench.sla;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged sla-timer-service (quarkus-run.jar) as a child process, started the way
 * deploy's system test starts services (ServiceProcess), with the benchmark's JVM options.
 */
final class ServiceUnderTest {

    final int port = freePort();
    private final Path log;
    private Process process;

    private ServiceUnderTest(Path log) {
        this.log = log;
    }

    static ServiceUnderTest start(Path jar, List<String> jvmOptions, Map<String, String> env, Path log)
            throws IOException {
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " missing: build it with"
                    + " ./mvnw -B -ntp -o -pl sla-timer-service package -DskipTests");
        }
        Files.createDirectories(log.getParent());
        ServiceUnderTest s = new ServiceUnderTest(log);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-jar");
        cmd.add(jar.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("HOTLINE_KAFKA_REPLICATION_FACTOR", "1"); // one broker
        pb.environment().put("HOTLINE_KAFKA_MIN_INSYNC_REPLICAS", "1");
        pb.environment().putAll(env);
        pb.environment().put("QUARKUS_HTTP_PORT", String.valueOf(s.port));
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        s.process = pb.start();
        Cleanup.track(s.process);
        Log.info("started " + String.join(" ", cmd) + " (pid " + s.process.pid() + ", log " + log + ")");
        return s;
    }

    long pid() {
        return process.pid();
    }

    void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("service exited with " + process.exitValue() + "; see " + log);
            }
            if (status("/q/health/ready") == 200) {
                return;
            }
            Thread.sleep(300);
        }
        throw new IllegalStateException("service not ready within " + timeout + "; see " + log);
    }

    int status(String path) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL()
                    .openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(3000);
            return c.getResponseCode();
        } catch (IOException e) {
            return -1;
        }
    }

    /** SIGTERM, as an orderly shutdown; SIGKILL if it takes longer than 20 s. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
        Cleanup.untrack(process);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

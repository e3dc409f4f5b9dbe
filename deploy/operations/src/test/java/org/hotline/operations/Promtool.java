package org.hotline.operations;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's promtool (package prometheus; .ci/run installs it), run as an operator would. */
final class Promtool {

    static final Path BINARY = Path.of(System.getProperty("promtool", "/usr/bin/promtool"));

    record Result(int exit, String output) {
    }

    private Promtool() {
    }

    static Path root() {
        return Path.of(System.getProperty("hotline.root", "../..")).toAbsolutePath().normalize();
    }

    static Result run(Path workDir, String... args) throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(BINARY), BINARY + " is missing: apt-get install prometheus (.ci/run does)");
        List<String> cmd = new ArrayList<>();
        cmd.add(BINARY.toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("promtool did not finish in 60 s: " + cmd);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}

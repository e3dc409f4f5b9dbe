package org.hotline.bench.sla;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Progress lines on stdout, prefixed with the time since the run started. */
final class Log {

    static final Instant START = Instant.now();

    private Log() {
    }

    static void info(String msg) {
        Duration d = Duration.between(START, Instant.now());
        System.out.printf("[bench %02d:%02d.%01d] %s%n", d.toMinutes(), d.toSecondsPart(), d.toMillisPart() / 100, msg);
        System.out.flush();
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }
}

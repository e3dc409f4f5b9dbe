package org.hotline.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/** A real (short) JFR recording of this JVM, summarised. */
class JfrSummaryTest {

    @Test
    void summarisesExecutionSamples(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("test.jfr");
        try (Recording r = new Recording(Configuration.getConfiguration("profile"))) {
            r.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            r.start();
            long x = 0;
            long end = System.nanoTime() + 700_000_000L;
            while (System.nanoTime() < end) {
                x += busy(x);
            }
            r.stop();
            r.dump(file);
            assertTrue(x != 42);
        }
        JfrSummary.Profile p = JfrSummary.read("test", file, null, null, 10);
        // how many samples a busy machine grants this thread varies: only their accounting is checked
        assertEquals(p.samples(), p.byLibrary().values().stream().mapToLong(Long::longValue).sum() + rest(p));
        String md = JfrSummary.markdown(p);
        assertTrue(md.startsWith("#### test"), md);
        assertTrue(md.contains("execution samples"), md);
        assertEquals("executor-thread-#", JfrSummary.threadGroup("executor-thread-12"));
        assertEquals("C2 CompilerThread#", JfrSummary.threadGroup("C2 CompilerThread0"));
        assertEquals("Hibernate ORM", JfrSummary.library("org.hibernate.query.sqm.Foo"));
        assertEquals("Hibernate Validator", JfrSummary.library("org.hibernate.validator.internal.Foo"));
        assertEquals("com.example", JfrSummary.library("com.example.Foo"));
    }

    /** Samples in libraries beyond the top ones listed. */
    private static long rest(JfrSummary.Profile p) {
        return p.byLibrary().size() < 10 ? 0 : p.samples() - p.byLibrary().values().stream().mapToLong(Long::longValue).sum();
    }

    private static long busy(long seed) {
        long h = seed;
        for (int i = 0; i < 10_000; i++) {
            h = h * 31 + Long.hashCode(h ^ i);
        }
        return h & 1;
    }
}

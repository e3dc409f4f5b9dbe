package org.hotline.bench.sla;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

final class Util {

    private Util() {
    }

    static void sleepUntil(Instant t) throws InterruptedException {
        long ms = Duration.between(Instant.now(), t).toMillis();
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }

    static double secondsSince(long nanoStart) {
        return (System.nanoTime() - nanoStart) / 1e9;
    }

    /** Nearest-rank percentile of {@code values} (q in 0..1). */
    static long percentile(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** Sets p50/p99/max on r from raw lateness values (milliseconds). */
    static void lateness(SystemResult r, long[] values) {
        if (values.length == 0) {
            return;
        }
        long[] v = values.clone();
        Arrays.sort(v);
        r.p50 = percentile(v, 0.50);
        r.p99 = percentile(v, 0.99);
        r.max = v[v.length - 1];
    }

    /** Pilot size for timing the burst's bulk insert: 2% of it. */
    static int pilotSize(int n) {
        return Math.max(100, n / 50);
    }

    /**
     * How far ahead to put the burst's due instant: the pilot insert's time scaled to the full
     * burst, times 1.5, plus 2 s; between 4 and 60 s.
     */
    static Duration burstMargin(double pilotSeconds, int pilot, int n) {
        double estimate = pilotSeconds * n / pilot;
        return Duration.ofMillis((long) (1000 * Math.min(60, Math.max(4, 2 + 1.5 * estimate))));
    }

    /** For measured timers that never fired: how late the last-due one was when waiting stopped. */
    static void unfired(SystemResult r, Instant start, Duration spread, Instant stoppedWaiting) {
        if (r.measuredFired < r.measuredTarget) {
            Instant lastDue = start.plus(spread.multipliedBy(r.measuredTarget - 1).dividedBy(r.measuredTarget));
            r.unfiredLateAtLeastMs = Duration.between(lastDue, stoppedWaiting).toMillis();
        }
    }

    /** Due instant for the burst: far enough ahead that the bulk insert commits before it. */
    static Instant dueAfter(Duration margin) {
        return Instant.now().plus(margin).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    /** Records a warning if the bulk insert committed less than 1 s before the due instant. */
    static void checkCommittedBefore(SystemResult r, Instant due, String what) {
        Duration left = Duration.between(Instant.now(), due);
        if (left.toMillis() < 1000) {
            r.note(what + " committed only " + left.toMillis() + " ms before the due instant; the timing below"
                    + " includes part of the insert");
        }
    }
}

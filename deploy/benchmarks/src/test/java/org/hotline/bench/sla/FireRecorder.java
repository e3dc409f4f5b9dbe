package org.hotline.bench.sla;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Execution handler side of db-scheduler and Quartz: what fired when. Instance names say which
 * set a timer belongs to: {@code b-<1..N>} the burst, {@code m-<0..N-1>} the measured set.
 */
final class FireRecorder {

    final AtomicInteger burst = new AtomicInteger();
    final AtomicLong burstFirst = new AtomicLong(Long.MAX_VALUE);
    final AtomicLong burstLast = new AtomicLong();
    private final AtomicIntegerArray burstSeen;
    final long[] lateness;
    private final AtomicIntegerArray measuredSeen;
    private final AtomicIntegerArray measuredWritten;
    final AtomicInteger measured = new AtomicInteger();
    final AtomicInteger duplicates = new AtomicInteger();
    final AtomicInteger unexpected = new AtomicInteger();

    FireRecorder(int burstN, int measuredN) {
        burstSeen = new AtomicIntegerArray(burstN + 1);
        lateness = new long[measuredN];
        measuredSeen = new AtomicIntegerArray(measuredN);
        measuredWritten = new AtomicIntegerArray(measuredN);
    }

    /** Lateness (ms) of the measured timers that fired so far. */
    long[] measuredLateness() {
        long[] out = new long[lateness.length];
        int j = 0;
        for (int i = 0; i < lateness.length; i++) {
            if (measuredWritten.get(i) == 1) {
                out[j++] = lateness[i];
            }
        }
        return java.util.Arrays.copyOf(out, j);
    }

    void fired(String id, long dueMillis, long nowMillis) {
        if (id.startsWith("b-")) {
            if (burstSeen.compareAndSet(Integer.parseInt(id.substring(2)), 0, 1)) {
                burstFirst.accumulateAndGet(nowMillis, Math::min);
                burstLast.accumulateAndGet(nowMillis, Math::max);
                burst.incrementAndGet();
            } else {
                duplicates.incrementAndGet();
            }
        } else if (id.startsWith("m-")) {
            int i = Integer.parseInt(id.substring(2));
            if (measuredSeen.compareAndSet(i, 0, 1)) {
                lateness[i] = nowMillis - dueMillis;
                measuredWritten.set(i, 1);
                measured.incrementAndGet();
            } else {
                duplicates.incrementAndGet();
            }
        } else {
            unexpected.incrementAndGet();
        }
    }
}

package org.hotline.loadgen;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Client-side counters of the load generator itself: per request kind (create, take, acknowledge…)
 * the outcome classes and an HdrHistogram of latency in microseconds, plus per-second series of what
 * was sent. These say what the client saw; the end-to-end figures come from event times
 * ({@link Observations}), never from here.
 */
public final class Stats {

    /** One request kind. */
    public static final class Kind {
        public final LongAdder ok = new LongAdder();
        public final LongAdder conflict = new LongAdder();
        public final LongAdder clientError = new LongAdder();
        public final LongAdder serverError = new LongAdder();
        public final LongAdder ioError = new LongAdder();
        public final Histogram micros = new ConcurrentHistogram(3_600_000_000L, 3);
        public final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();

        public long errors() {
            return clientError.sum() + serverError.sum() + ioError.sum();
        }

        public long total() {
            return ok.sum() + conflict.sum() + errors();
        }
    }

    private final Map<String, Kind> kinds = new ConcurrentHashMap<>();
    /** Reports sent per second since the start (REST answered or Kafka acknowledged). */
    public final AtomicLongArray sentPerSecond;
    public final AtomicLongArray errorsPerSecond;
    /** Latency of ticket creation from each report's scheduled instant (open loop), for the progress line. */
    public final Recorder createInterval = new Recorder(3_600_000_000L, 3);
    public final LongAdder sent = new LongAdder();
    public final LongAdder errors = new LongAdder();
    public final LongAdder feedErrors = new LongAdder();
    private volatile long startNanos;

    public Stats(int seconds, long startNanos) {
        this.sentPerSecond = new AtomicLongArray(seconds);
        this.errorsPerSecond = new AtomicLongArray(seconds);
        this.startNanos = startNanos;
    }

    /** Sets the instant second 0 of the per-second series starts at. */
    public void begin(long startNanos) {
        this.startNanos = startNanos;
    }

    public Kind kind(String name) {
        return kinds.computeIfAbsent(name, k -> new Kind());
    }

    public Map<String, Kind> kinds() {
        return new TreeMap<>(kinds);
    }

    /** Counts one HTTP answer (status 0: no answer, an I/O failure or time-out). */
    public void record(String kind, int status, long micros) {
        Kind k = kind(kind);
        if (status >= 200 && status < 300) {
            k.ok.increment();
        } else if (status == 409) {
            k.conflict.increment(); // expected now and then: a step raced a re-dispatch or an escalation
        } else if (status >= 400 && status < 500) {
            k.clientError.increment();
        } else if (status >= 500) {
            k.serverError.increment();
        } else {
            k.ioError.increment();
        }
        if (status != 409 && !(status >= 200 && status < 300)) {
            errors.increment();
            bump(errorsPerSecond);
        }
        k.byStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
        k.micros.recordValue(Math.max(0, Math.min(micros, 3_599_999_999L)));
    }

    public void countSent() {
        sent.increment();
        bump(sentPerSecond);
    }

    private void bump(AtomicLongArray series) {
        int second = (int) ((System.nanoTime() - startNanos) / 1_000_000_000L);
        if (second >= 0 && second < series.length()) {
            series.incrementAndGet(second);
        }
    }
}

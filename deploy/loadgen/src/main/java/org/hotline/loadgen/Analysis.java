package org.hotline.loadgen;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The run's figures from the systems' own times. "Receipt" is intake's {@code receivedAt} (in
 * {@code ticket.received}); "dispatched" the first lead {@code assignment.created}'s
 * {@code dispatchedAt}; "armed" the SLA service's inbox time for the ticket's {@code ticket.received};
 * "notified" the first {@code sent_at} of the ticket's dispatch notice (notifications of {@code assignment.created}); "complete" the last of those three. Nothing
 * here is a client-side timing except what is labelled "client".
 */
public final class Analysis {

    /** Percentiles of one measure in milliseconds. */
    public record Dist(String name, int n, double p50, double p90, double p99, double max, double mean) {
        static Dist of(String name, long[] values) {
            if (values.length == 0) {
                return new Dist(name, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            }
            long[] v = values.clone();
            Arrays.sort(v);
            return new Dist(name, v.length, pct(v, 50), pct(v, 90), pct(v, 99), v[v.length - 1],
                    Arrays.stream(v).average().orElse(Double.NaN));
        }
    }

    /** Nearest-rank percentile of a sorted array. */
    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    public final Instant start;
    public final int loadSeconds;
    public final int skipSeconds;
    public final List<Observations.Ticket> tickets;
    public final List<Observations.Ticket> steady;
    public final Map<String, Dist> dists = new LinkedHashMap<>();
    public final Map<String, Dist> steadyDists = new LinkedHashMap<>();
    /** Per second since start: received, dispatched, armed, notified, complete. */
    public final Map<String, long[]> perSecond = new LinkedHashMap<>();
    public final int seconds;
    public final long completedInSteady;
    public final long receivedInSteady;
    public final double sustainedPerSecond;
    public final double receivedPerSecond;
    public final Instant lastComplete;
    public final long notDispatched;
    public final long notArmed;
    public final long notNotified;

    public Analysis(Instant start, int loadSeconds, int skipSeconds, int totalSeconds, List<Observations.Ticket> received) {
        this.start = start;
        this.loadSeconds = loadSeconds;
        this.skipSeconds = Math.min(skipSeconds, Math.max(0, loadSeconds - 1));
        this.seconds = totalSeconds;
        this.tickets = received;
        Instant steadyFrom = start.plusSeconds(this.skipSeconds);
        Instant loadEnd = start.plusSeconds(loadSeconds);
        this.steady = received.stream()
                .filter(t -> !t.receivedAt.isBefore(steadyFrom) && t.receivedAt.isBefore(loadEnd)).toList();
        measures(received, dists);
        measures(steady, steadyDists);
        perSecond.put("received", series(received, t -> t.receivedAt));
        perSecond.put("dispatched", series(received, t -> t.dispatchedAt));
        perSecond.put("clocks armed", series(received, t -> t.armedAt));
        perSecond.put("notified", series(received, t -> t.notifiedAt));
        perSecond.put("complete", series(received, Observations.Ticket::completedAt));
        long done = 0;
        for (Observations.Ticket t : received) {
            Instant c = t.completedAt();
            if (c != null && !c.isBefore(steadyFrom) && c.isBefore(loadEnd)) {
                done++;
            }
        }
        this.completedInSteady = done;
        this.receivedInSteady = steady.size();
        double window = Math.max(1, loadSeconds - this.skipSeconds);
        this.sustainedPerSecond = done / window;
        this.receivedPerSecond = steady.size() / window;
        this.lastComplete = received.stream().map(Observations.Ticket::completedAt).filter(x -> x != null)
                .max(Instant::compareTo).orElse(null);
        this.notDispatched = received.stream().filter(t -> t.dispatchedAt == null).count();
        this.notArmed = received.stream().filter(t -> t.armedAt == null).count();
        this.notNotified = received.stream().filter(t -> t.notifiedAt == null).count();
    }

    private static void measures(List<Observations.Ticket> ts, Map<String, Dist> out) {
        out.put("receipt → dispatched", dist("receipt → dispatched", ts, t -> between(t.receivedAt, t.dispatchedAt)));
        out.put("receipt → clocks armed", dist("receipt → clocks armed", ts, t -> between(t.receivedAt, t.armedAt)));
        out.put("receipt → dispatch notice decided", dist("receipt → dispatch notice decided", ts,
                t -> between(t.receivedAt, t.notifyDecidedAt)));
        out.put("receipt → dispatch notice sent", dist("receipt → dispatch notice sent", ts,
                t -> between(t.receivedAt, t.notifiedAt)));
        out.put("receipt → complete", dist("receipt → complete", ts, t -> between(t.receivedAt, t.completedAt())));
        // the parts of receipt → dispatched
        out.put("intake: receipt → ticket.received on Kafka", dist("intake: receipt → ticket.received on Kafka", ts,
                t -> t.receivedPublishedMs <= 0 ? null : t.receivedPublishedMs - t.receivedAt.toEpochMilli()));
        out.put("dispatch: ticket.received on Kafka → consumed and dispatched", dist(
                "dispatch: ticket.received on Kafka → consumed and dispatched", ts,
                t -> t.dispatchedAt == null || t.receivedPublishedMs <= 0 ? null
                        : t.dispatchedAt.toEpochMilli() - t.receivedPublishedMs));
        out.put("dispatch: dispatched → assignment.created on Kafka", dist("dispatch: dispatched → assignment.created on Kafka",
                ts, t -> t.dispatchedAt == null || t.dispatchedPublishedMs <= 0 ? null
                        : t.dispatchedPublishedMs - t.dispatchedAt.toEpochMilli()));
        out.put("citizen's report → receipt (upstream feeds: their call time)", dist(
                "citizen's report → receipt (upstream feeds: their call time)",
                ts.stream().filter(t -> t.channel != Scenario.Channel.REST).toList(), t -> between(t.reportedAt, t.receivedAt)));
    }

    private static Long between(Instant a, Instant b) {
        return a == null || b == null ? null : Duration.between(a, b).toMillis();
    }

    private static Dist dist(String name, List<Observations.Ticket> ts, Function<Observations.Ticket, Long> f) {
        List<Long> v = new ArrayList<>();
        for (Observations.Ticket t : ts) {
            Long x = f.apply(t);
            if (x != null) {
                v.add(x);
            }
        }
        return Dist.of(name, v.stream().mapToLong(Long::longValue).toArray());
    }

    private long[] series(List<Observations.Ticket> ts, Function<Observations.Ticket, Instant> f) {
        long[] s = new long[seconds];
        for (Observations.Ticket t : ts) {
            Instant i = f.apply(t);
            if (i != null) {
                int sec = (int) Math.floorDiv(Duration.between(start, i).toMillis(), 1000L);
                if (sec >= 0 && sec < seconds) {
                    s[sec]++;
                }
            }
        }
        return s;
    }

    /** p50 and p99 (ms) of a measure per bucket of {@code bucket} seconds, by receipt time. */
    public List<double[]> overTime(Function<Observations.Ticket, Long> measure, int bucket) {
        int buckets = (seconds + bucket - 1) / bucket;
        List<List<Long>> values = new ArrayList<>();
        for (int i = 0; i < buckets; i++) {
            values.add(new ArrayList<>());
        }
        for (Observations.Ticket t : tickets) {
            Long v = measure.apply(t);
            if (v == null) {
                continue;
            }
            int sec = (int) Math.floorDiv(Duration.between(start, t.receivedAt).toMillis(), 1000L);
            if (sec >= 0 && sec / bucket < buckets) {
                values.get(sec / bucket).add(v);
            }
        }
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < buckets; i++) {
            long[] v = values.get(i).stream().mapToLong(Long::longValue).sorted().toArray();
            if (v.length > 0) {
                out.add(new double[] {i * bucket, pct(v, 50), pct(v, 99)});
            }
        }
        return out;
    }

    public static Long dispatchedMs(Observations.Ticket t) {
        return between(t.receivedAt, t.dispatchedAt);
    }

    public static Long notifiedMs(Observations.Ticket t) {
        return between(t.receivedAt, t.notifiedAt);
    }

    public static Long armedMs(Observations.Ticket t) {
        return between(t.receivedAt, t.armedAt);
    }
}

package org.hotline.loadgen;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the system did with this run's tickets, from the systems' own times: the events' data
 * ({@code receivedAt}, {@code dispatchedAt}, the SLA events' {@code latenessMs}), the Kafka
 * records' timestamps (when each relay published), and after the run the databases (when the
 * SLA service armed the clocks, when notification-service decided and sent the first message).
 */
public final class Observations {

    /** One ticket of this run. Fields are written by one thread at a time per ticket (its partition). */
    public static final class Ticket {
        public final UUID id;
        public volatile long index = -1;
        public volatile Scenario.Channel channel;
        /** ticket.received: intake's receipt, the citizen's report, the event id and the record's publish time. */
        public volatile Instant receivedAt;
        public volatile Instant reportedAt;
        public volatile String receivedEventId;
        public volatile long receivedPublishedMs;
        public volatile String complexity;
        public volatile String category;
        /** the first LEAD assignment.created: dispatchedAt and its record's publish time. */
        public volatile Instant dispatchedAt;
        public volatile long dispatchedPublishedMs;
        public volatile String firstUnit;
        public volatile boolean automatic;
        /** from the databases after the run */
        public volatile Instant dispatchConsumedAt;
        public volatile Instant armedAt;
        public volatile Instant notifyDecidedAt;
        public volatile Instant notifiedAt;
        public final AtomicInteger assignments = new AtomicInteger();
        public volatile int round;
        public volatile boolean resolved;
        public volatile boolean closed;
        public volatile boolean followedUp;

        Ticket(UUID id) {
            this.id = id;
        }

        /** Receipt to the end of the last of: dispatched, clocks armed, dispatch notice sent. */
        public Instant completedAt() {
            if (receivedAt == null || dispatchedAt == null || armedAt == null || notifiedAt == null) {
                return null;
            }
            Instant last = dispatchedAt;
            last = armedAt.isAfter(last) ? armedAt : last;
            return notifiedAt.isAfter(last) ? notifiedAt : last;
        }
    }

    /** A warning, breach or escalation fired by the SLA engine for one of this run's tickets. */
    public record SlaFire(String type, String stage, int level, long latenessMs, Instant dueAt, Instant firedAt) {
    }

    private final Map<UUID, Ticket> tickets = new ConcurrentHashMap<>();
    public final ConcurrentLinkedQueue<SlaFire> fires = new ConcurrentLinkedQueue<>();
    public final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    /** Reports whose outcome is known (index → "ticket", "repeat", "error"). */
    public final Map<Long, String> outcomes = new ConcurrentHashMap<>();

    public Ticket ticket(UUID id) {
        return tickets.computeIfAbsent(id, Ticket::new);
    }

    public Ticket find(UUID id) {
        return tickets.get(id);
    }

    public boolean known(UUID id) {
        return tickets.containsKey(id);
    }

    public Collection<Ticket> tickets() {
        return tickets.values();
    }

    public void count(String what) {
        counters.computeIfAbsent(what, k -> new LongAdder()).increment();
    }

    public long counter(String what) {
        LongAdder a = counters.get(what);
        return a == null ? 0 : a.sum();
    }

    public Map<String, Long> counters() {
        Map<String, Long> m = new TreeMap<>();
        counters.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    public List<Ticket> received() {
        List<Ticket> l = new ArrayList<>();
        for (Ticket t : tickets.values()) {
            if (t.receivedAt != null) {
                l.add(t);
            }
        }
        return l;
    }
}

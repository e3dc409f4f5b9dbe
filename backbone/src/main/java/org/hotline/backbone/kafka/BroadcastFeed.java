package org.hotline.backbone.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A per-replica broadcast reader of event topics, for live screens (SSE). Every replica of a
 * service runs its own: it assigns itself every partition of the topics (no consumer group, so no
 * shared offsets and no rebalancing), starts at the end (a screen wants what happens from now on;
 * what happened before it reads through the REST API) and hands each event to the service's sink.
 * So a screen connected to replica A sees a change replica B made: the change reached Kafka
 * through B's outbox, and A reads the topic.
 *
 * <p>Some events change the service's own state only when the service's consumer has processed
 * them (e.g. dispatch's copy of a ticket after {@code ticket.received}). For those
 * ({@code awaitProcessing}) the feed holds the event until {@code processedAmong} says the
 * service's inbox recorded its id (one query for all that wait), at most {@code maxWait}, then
 * hands it on, in arrival order. Nothing here is durable: a replica that restarts or loses Kafka
 * starts again at the end, and its screens re-read on reconnect.
 *
 * <p>While no screen is connected to the replica ({@link #whileWatched}), the feed fetches nothing:
 * its partitions are paused, and when a screen connects it moves to the records written since the
 * screen connected and reads on from there.
 */
public final class BroadcastFeed implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BroadcastFeed.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One event as read from a topic (CloudEvents envelope; malformed records are skipped). */
    public record Event(String topic, String id, String type, String subject, String time, JsonNode data) {
    }

    private final String name;
    private final Map<String, Object> kafkaConfig;
    private final List<String> topics;
    private final Predicate<Event> awaitProcessing;
    private final Function<Collection<String>, Set<String>> processedAmong;
    private final Consumer<Event> sink;
    private final Duration maxWait;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean ready;
    private volatile BooleanSupplier watched = () -> true;
    private volatile boolean fetching;
    private KafkaConsumer<String, String> consumer;

    public BroadcastFeed(String name, Map<String, Object> kafkaConfig, List<String> topics,
            Predicate<Event> awaitProcessing, Function<Collection<String>, Set<String>> processedAmong,
            Duration maxWait, Consumer<Event> sink) {
        this.name = name;
        this.kafkaConfig = kafkaConfig;
        this.topics = List.copyOf(topics);
        this.awaitProcessing = awaitProcessing;
        this.processedAmong = processedAmong;
        this.maxWait = maxWait;
        this.sink = sink;
        this.thread = new Thread(this::run, name + "-broadcast-feed");
        this.thread.setDaemon(true);
    }

    /**
     * Fetches records only while {@code watched} says a screen is connected to this replica: the
     * sinks drop events nobody watches anyway, and fetching and decoding every record of busy topics
     * for nobody cost 5–8 % of dispatch's and notification's CPU under load (issue 18). While
     * nobody watches, the feed's partitions are paused (the consumer sends no fetch request) and
     * it asks {@code watched} again every {@value #UNWATCHED_CHECK_MS} ms. Once a screen is connected
     * it moves each partition to the first record written since it last found nobody watching (by the
     * records' timestamps), so the screen sees what happens from the moment it connected, even before
     * the feed noticed it, and never the records of the paused time: those it reads through the REST
     * API. The records of that last check interval (before the screen connected) may be shown too.
     * Events already held for processing are handed on in order whatever the answer.
     */
    public BroadcastFeed whileWatched(BooleanSupplier watched) {
        this.watched = watched;
        return this;
    }

    /** Whether the feed fetches records now: false while nobody watches (its partitions paused). */
    public boolean fetching() {
        return fetching;
    }

    public BroadcastFeed start() {
        thread.start();
        return this;
    }

    /**
     * Assigned to every partition and positioned at the end: from now on, every event is seen (while
     * unwatched: every event from the moment a screen connects).
     */
    public boolean ready() {
        return ready;
    }

    private KafkaConsumer<String, String> newConsumer() {
        Map<String, Object> props = new HashMap<>(kafkaConfig);
        // assign(), never subscribe(): no group, nothing committed, nothing shared with other replicas
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, name + "-broadcast-" + UUID.randomUUID().toString().substring(0, 8));
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    /** Assigns every partition of the topics that exist; returns how many of the topics exist. */
    private int assignAll(boolean seekToEnd) {
        List<TopicPartition> parts = new ArrayList<>();
        int found = 0;
        for (String topic : topics) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos != null && !infos.isEmpty()) {
                found++;
                infos.forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
            }
        }
        Set<TopicPartition> before = consumer.assignment();
        if (parts.isEmpty() || before.containsAll(parts) && before.size() == parts.size()) {
            return found;
        }
        consumer.assign(parts);
        List<TopicPartition> fresh = parts.stream().filter(p -> !before.contains(p)).toList();
        if (seekToEnd || !fresh.isEmpty()) {
            consumer.seekToEnd(seekToEnd ? parts : fresh);
            // resolve the end offsets now, so "ready" means every later event will be read
            for (TopicPartition p : seekToEnd ? parts : fresh) {
                consumer.position(p, Duration.ofSeconds(10));
            }
        }
        return found;
    }

    private void run() {
        Duration backoff = Duration.ofMillis(500);
        while (running) {
            try {
                consumer = newConsumer();
                while (running && assignAll(true) < topics.size()) {
                    Thread.sleep(500); // topics not created yet (TopicBootstrap runs at start)
                }
                ready = true;
                backoff = Duration.ofMillis(500);
                LOG.infof("%s broadcast feed reading %s from their end", name, topics);
                loop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (org.apache.kafka.common.errors.WakeupException e) {
                return;
            } catch (RuntimeException e) {
                ready = false;
                if (running) {
                    LOG.warnf("%s broadcast feed failed, starting again at the end in %s: %s", name, backoff, e.toString());
                }
            } finally {
                ready = false;
                fetching = false;
                if (consumer != null) {
                    try {
                        consumer.close(Duration.ofSeconds(2));
                    } catch (RuntimeException ignored) {
                        // closing a broken consumer
                    }
                }
            }
            try {
                Thread.sleep(backoff.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10)
                    : backoff.multipliedBy(2);
        }
    }

    private record Waiting(Event event, long since) {
    }

    /** How often a paused feed asks whether a screen connected (a screen sees its first event at most this late). */
    static final long UNWATCHED_CHECK_MS = 200;

    private void loop() {
        LinkedHashMap<String, Waiting> waiting = new LinkedHashMap<>();
        long nextPartitionCheck = System.currentTimeMillis() + 30_000;
        boolean paused = false;
        long nobodySince = 0; // wall-clock time of the last check that found nobody watching
        fetching = true;
        while (running) {
            long asked = System.currentTimeMillis(); // before asking: a screen that says yes connected after it
            boolean watchedNow = watched.getAsBoolean();
            if (!watchedNow) {
                nobodySince = asked;
                if (!paused && waiting.isEmpty()) {
                    consumer.pause(consumer.assignment());
                    paused = true;
                    fetching = false;
                }
            } else if (paused) {
                resumeSince(nobodySince);
                paused = false;
                fetching = true;
            }
            ConsumerRecords<String, String> records = consumer.poll(
                    Duration.ofMillis(paused ? UNWATCHED_CHECK_MS : waiting.isEmpty() ? 200 : 40));
            for (ConsumerRecord<String, String> r : records) {
                Event e = decode(r);
                if (e == null) {
                    continue;
                }
                if (awaitProcessing.test(e)) {
                    waiting.put(e.id(), new Waiting(e, System.currentTimeMillis()));
                } else if (waiting.isEmpty()) {
                    deliver(e);
                } else {
                    // keep the order behind events still waiting
                    waiting.put(e.id(), new Waiting(e, Long.MIN_VALUE));
                }
            }
            if (!waiting.isEmpty()) {
                releaseProcessed(waiting);
            }
            if (System.currentTimeMillis() > nextPartitionCheck) {
                assignAll(false); // partitions added to a topic later
                if (paused) {
                    consumer.pause(consumer.assignment()); // a new partition comes unpaused
                }
                nextPartitionCheck = System.currentTimeMillis() + 30_000;
            }
        }
    }

    /**
     * Moves every partition to its first record stamped at or after {@code since} and fetches again.
     * The end offsets are read first: a record written after that is never skipped, whatever its
     * timestamp (a producer's clock may lag), and a partition with no record since then starts there.
     */
    private void resumeSince(long since) {
        Set<TopicPartition> parts = consumer.assignment();
        Map<TopicPartition, Long> ends = consumer.endOffsets(parts, Duration.ofSeconds(10));
        Map<TopicPartition, Long> times = new HashMap<>();
        parts.forEach(p -> times.put(p, since));
        Map<TopicPartition, OffsetAndTimestamp> from = consumer.offsetsForTimes(times, Duration.ofSeconds(10));
        for (TopicPartition p : parts) {
            OffsetAndTimestamp first = from.get(p);
            long end = ends.get(p);
            consumer.seek(p, first == null ? end : Math.min(first.offset(), end));
        }
        consumer.resume(parts);
    }

    private void releaseProcessed(LinkedHashMap<String, Waiting> waiting) {
        List<String> ids = waiting.values().stream().filter(w -> w.since() != Long.MIN_VALUE)
                .map(w -> w.event().id()).toList();
        Set<String> done;
        try {
            done = ids.isEmpty() ? Set.of() : processedAmong.apply(ids);
        } catch (RuntimeException ex) {
            LOG.debugf("%s broadcast feed: processed lookup failed: %s", name, ex.toString());
            done = Set.of();
        }
        long now = System.currentTimeMillis();
        var it = waiting.values().iterator();
        while (it.hasNext()) {
            Waiting w = it.next();
            boolean free = w.since() == Long.MIN_VALUE || done.contains(w.event().id())
                    || now - w.since() > maxWait.toMillis();
            if (!free) {
                break; // in arrival order
            }
            it.remove();
            deliver(w.event());
        }
    }

    private void deliver(Event e) {
        try {
            sink.accept(e);
        } catch (RuntimeException ex) {
            LOG.warnf("%s broadcast feed: %s %s not shown: %s", name, e.type(), e.subject(), ex.toString());
        }
    }

    private static Event decode(ConsumerRecord<String, String> r) {
        if (r.value() == null) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(r.value());
            if (!n.hasNonNull("id") || !n.hasNonNull("type")) {
                return null;
            }
            String subject = n.hasNonNull("subject") ? n.get("subject").asText() : r.key();
            return new Event(r.topic(), n.get("id").asText(), n.get("type").asText(), subject,
                    n.path("time").asText(null), n.path("data"));
        } catch (java.io.IOException | RuntimeException e) {
            return null; // a malformed record is the consumers' business (dead letters), not the screens'
        }
    }

    @Override
    public void close() {
        running = false;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

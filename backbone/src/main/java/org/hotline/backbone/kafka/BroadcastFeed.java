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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
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
    private final AtomicLong passedOver = new AtomicLong();
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
     * Reads records only while {@code watched} says a screen is connected to this replica: the sinks
     * drop events nobody watches anyway, and decoding every record of busy topics for nobody cost
     * 6.6–7.7 % of dispatch's and notification's CPU under load (issue 18). The feed keeps polling, so
     * its position stays at the end and a screen that connects sees what happens from then on, as
     * before. Events already held for processing are handed on in order whatever the answer.
     */
    public BroadcastFeed whileWatched(BooleanSupplier watched) {
        this.watched = watched;
        return this;
    }

    /** Records passed over unread because nobody was watching. */
    public long passedOver() {
        return passedOver.get();
    }

    public BroadcastFeed start() {
        thread.start();
        return this;
    }

    /** Assigned to every partition and positioned at the end: from now on, every event is seen. */
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

    private void loop() {
        LinkedHashMap<String, Waiting> waiting = new LinkedHashMap<>();
        long nextPartitionCheck = System.currentTimeMillis() + 30_000;
        while (running) {
            ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(waiting.isEmpty() ? 200 : 40));
            if (!records.isEmpty() && waiting.isEmpty() && !watched.getAsBoolean()) {
                passedOver.addAndGet(records.count());
                records = ConsumerRecords.empty();
            }
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
                nextPartitionCheck = System.currentTimeMillis() + 30_000;
            }
        }
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

package org.hotline.loadgen;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the services' event topics from their end at start (no consumer group, nothing committed:
 * it changes nothing for the services) and hands every CloudEvent to the flow. It is the load's
 * eyes: the command room and the field teams learn of new tickets and assignments here (as their
 * consoles and phones would be told), and the measurements take the events' own times.
 */
public final class EventTap implements AutoCloseable {

    /** One CloudEvent as read: type, id, subject, time, data, and the record's timestamp (publish time). */
    public record Event(String topic, String type, String id, UUID subject, Instant time, JsonNode data,
            long recordMs) {
        public String text(String field) {
            JsonNode n = data.get(field);
            return n == null || n.isNull() ? null : n.asText();
        }

        public Instant instant(String field) {
            String s = text(field);
            return s == null ? null : Instant.parse(s);
        }
    }

    public static final List<String> TOPICS = List.of("ticket-events", "dispatch-events", "sla-events");

    private final KafkaConsumer<String, String> consumer;
    private final Consumer<Event> sink;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long lastRecordNanos = System.nanoTime();
    private volatile Throwable failure;

    public EventTap(String bootstrap, Consumer<Event> sink) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "loadgen-tap");
        this.consumer = new KafkaConsumer<>(p);
        this.sink = sink;
        List<TopicPartition> parts = new ArrayList<>();
        for (String topic : TOPICS) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist: are the services running?");
            }
            infos.forEach(i -> parts.add(new TopicPartition(i.topic(), i.partition())));
        }
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position); // resolve the end offsets now, before the first report is sent
        this.thread = new Thread(this::loop, "loadgen-tap");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Seconds since the last record arrived. */
    public double idleSeconds() {
        return (System.nanoTime() - lastRecordNanos) / 1e9;
    }

    public Throwable failure() {
        return failure;
    }

    private void loop() {
        try {
            while (running) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    lastRecordNanos = System.nanoTime();
                    Event e = parse(r);
                    if (e != null) {
                        try {
                            sink.accept(e);
                        } catch (RuntimeException ex) {
                            System.err.println("loadgen: event " + e.type() + " " + e.id() + " not handled: " + ex);
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (Throwable t) {
            failure = t;
            System.err.println("loadgen: the event tap stopped: " + t);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    static Event parse(ConsumerRecord<String, String> r) {
        try {
            JsonNode n = Api.JSON.readTree(r.value());
            JsonNode data = n.get("data");
            String subject = n.path("subject").asText(null);
            UUID id = null;
            try {
                id = subject == null ? null : UUID.fromString(subject);
            } catch (IllegalArgumentException e) {
                // unit-events use the unit id; not read here
            }
            String time = n.path("time").asText(null);
            return new Event(r.topic(), n.path("type").asText(""), n.path("id").asText(""), id,
                    time == null ? null : Instant.parse(time), data == null ? Api.JSON.nullNode() : data, r.timestamp());
        } catch (Exception e) {
            return null; // not a CloudEvent: not ours to judge
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

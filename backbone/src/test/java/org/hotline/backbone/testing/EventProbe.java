package org.hotline.backbone.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads what really reached the broker: every record of a topic from its beginning, with key,
 * headers and parsed value; and writes raw records as an upstream system or an attacker would.
 */
public final class EventProbe implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code seenAt}: when this probe read it, on the test's own clock (a skewed producer's timestamps lie). */
    public record Seen(String topic, String key, String value, Map<String, String> headers, java.time.Instant seenAt) {
        public JsonNode json() {
            try {
                return JSON.readTree(value);
            } catch (Exception e) {
                return null;
            }
        }

        public String type() {
            JsonNode j = json();
            return j == null || j.get("type") == null ? null : j.get("type").asText();
        }

        public String subject() {
            JsonNode j = json();
            return j == null || j.get("subject") == null ? null : j.get("subject").asText();
        }
    }

    private static final Map<String, EventProbe> SHARED = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * One probe per broker and topic set for the whole test JVM: test classes call this instead
     * of managing their own. Never closed: it commits nothing, and closing it in a shutdown hook
     * could wait on the broker shutting down beside it.
     */
    public static EventProbe shared(String bootstrap, String... topics) {
        return SHARED.computeIfAbsent(bootstrap + "|" + String.join(",", topics),
                k -> new EventProbe(bootstrap, topics));
    }

    private final String bootstrap;
    private final KafkaConsumer<String, String> consumer;
    private final List<Seen> seen = new ArrayList<>();

    public EventProbe(String bootstrap, String... topics) {
        this.bootstrap = bootstrap;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> parts = new ArrayList<>();
        for (String t : topics) {
            consumer.partitionsFor(t, Duration.ofSeconds(20))
                    .forEach(i -> parts.add(new TopicPartition(t, i.partition())));
        }
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
    }

    /** Everything seen so far, after one more poll. */
    public synchronized List<Seen> all() {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            for (Header h : r.headers()) {
                headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
            }
            seen.add(new Seen(r.topic(), r.key(), r.value(), headers, java.time.Instant.now()));
        }
        return List.copyOf(seen);
    }

    public List<Seen> about(String subject) {
        return all().stream().filter(s -> subject.equals(s.key()) || subject.equals(s.subject()))
                .collect(Collectors.toList());
    }

    public List<Seen> ofType(String subject, String type) {
        return about(subject).stream().filter(s -> type.equals(s.type())).collect(Collectors.toList());
    }

    /** Sends a raw record, as an upstream system (or a broken one) would. */
    public void send(String topic, String key, String value) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot send to " + topic, e);
        }
    }

    @Override
    public synchronized void close() {
        consumer.close();
    }
}

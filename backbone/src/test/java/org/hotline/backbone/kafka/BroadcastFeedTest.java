package org.hotline.backbone.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hotline.backbone.testing.TestInfra;
import org.junit.jupiter.api.Test;

/**
 * The live screens' per-replica feed, against a real broker. What its Kafka consumer fetched is read
 * from the client's own metrics (JMX), not from the feed.
 */
class BroadcastFeedTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void nothingIsFetchedForNobodyAndAScreenThatConnectsSeesWhatHappensFromThen() throws Exception {
        String bootstrap = TestInfra.kafkaBootstrap();
        String topic = topic(bootstrap, 2);
        String name = "unwatched-" + UUID.randomUUID().toString().substring(0, 8);
        AtomicBoolean watched = new AtomicBoolean(false);
        AtomicInteger asked = new AtomicInteger();
        BooleanSupplier screens = () -> {
            asked.incrementAndGet();
            return watched.get();
        };
        List<String> shown = new CopyOnWriteArrayList<>();
        try (KafkaProducer<String, String> producer = producer(bootstrap);
                BroadcastFeed feed = new BroadcastFeed(name, Map.of("bootstrap.servers", bootstrap), List.of(topic),
                        e -> false, ids -> Set.of(), Duration.ofSeconds(1), e -> shown.add(e.id()))
                        .whileWatched(screens).start()) {
            await().atMost(WAIT).until(() -> feed.ready() && !feed.fetching());

            send(producer, topic, 0, "while-nobody-watches-0");
            send(producer, topic, 1, "while-nobody-watches-1");
            // the feed asked again since (so it found nobody watching after these were written) and waited a
            // whole check; or it fetched them, which the next lines tell
            int sent = asked.get();
            await().atMost(WAIT).until(() -> asked.get() >= sent + 2 || consumerMetric(name, "records-consumed-total") > 0);
            assertEquals(0, consumerMetric(name, "fetch-total"), "no fetch request while nobody watches");
            assertEquals(0, consumerMetric(name, "records-consumed-total"));

            watched.set(true); // a screen connects, and things happen right away
            send(producer, topic, 0, "once-a-screen-watches-0");
            send(producer, topic, 1, "once-a-screen-watches-1");
            await().atMost(WAIT).until(() -> shown.size() >= 2);
            assertEquals(Set.of("once-a-screen-watches-0", "once-a-screen-watches-1"), Set.copyOf(shown),
                    "what happened before it connected is not shown");
            assertEquals(2, consumerMetric(name, "records-consumed-total"), "the paused time's records were never fetched");
            assertTrue(feed.fetching());

            watched.set(false); // the screen leaves, and comes back
            await().atMost(WAIT).until(() -> !feed.fetching());
            send(producer, topic, 0, "while-away");
            int away = asked.get();
            await().atMost(WAIT).until(() -> asked.get() >= away + 2);
            watched.set(true);
            send(producer, topic, 0, "back");
            await().atMost(WAIT).until(() -> shown.contains("back"));
            assertFalse(shown.contains("while-away"), shown.toString());
            assertEquals(3, consumerMetric(name, "records-consumed-total"));
        }
    }

    @Test
    void anEventHeldForProcessingIsHandedOnInOrderEvenIfTheScreenLeaves() throws Exception {
        String bootstrap = TestInfra.kafkaBootstrap();
        String topic = topic(bootstrap, 1);
        String name = "held-" + UUID.randomUUID().toString().substring(0, 8);
        AtomicBoolean watched = new AtomicBoolean(true);
        Set<String> processed = ConcurrentHashMap.newKeySet();
        List<String> shown = new CopyOnWriteArrayList<>();
        try (KafkaProducer<String, String> producer = producer(bootstrap);
                BroadcastFeed feed = new BroadcastFeed(name, Map.of("bootstrap.servers", bootstrap), List.of(topic),
                        e -> e.id().startsWith("held"), ids -> ids.stream().filter(processed::contains)
                                .collect(java.util.stream.Collectors.toSet()),
                        Duration.ofMinutes(5), e -> shown.add(e.id())).whileWatched(watched::get).start()) {
            await().atMost(WAIT).until(() -> feed.ready() && feed.fetching());

            send(producer, topic, 0, "held-1");
            send(producer, topic, 0, "behind-it");
            await().atMost(WAIT).until(() -> consumerMetric(name, "records-consumed-total") == 2);
            assertEquals(List.of(), shown, "held until processed, and the next one behind it");

            watched.set(false);
            processed.add("held-1");
            await().atMost(WAIT).until(() -> shown.size() == 2);
            assertEquals(List.of("held-1", "behind-it"), shown);
            await().atMost(WAIT).until(() -> !feed.fetching()); // nothing held any more: paused
        }
    }

    private static String topic(String bootstrap, int partitions) throws Exception {
        String topic = "feed-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        return topic;
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        return new KafkaProducer<>(Map.<String, Object> of("bootstrap.servers", bootstrap), new StringSerializer(),
                new StringSerializer());
    }

    private static void send(KafkaProducer<String, String> producer, String topic, int partition, String id)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, partition, "t-1",
                "{\"id\":\"" + id + "\",\"type\":\"ticket.taken\",\"subject\":\"t-1\"}")).get(30, TimeUnit.SECONDS);
    }

    /** A fetch metric of the feed's current Kafka consumer (its client id starts with the feed's name). */
    private static double consumerMetric(String feed, String attribute) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = server.queryNames(
                new ObjectName("kafka.consumer:type=consumer-fetch-manager-metrics,client-id=" + feed + "-broadcast-*"), null);
        assertEquals(1, names.size(), names.toString());
        return (Double) server.getAttribute(names.iterator().next(), attribute);
    }
}

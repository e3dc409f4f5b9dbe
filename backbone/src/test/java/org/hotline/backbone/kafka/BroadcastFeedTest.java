package org.hotline.backbone.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.hotline.backbone.testing.TestInfra;
import org.junit.jupiter.api.Test;

/** The live screens' per-replica feed, against a real broker. */
class BroadcastFeedTest {

    @Test
    void nothingIsReadForNobodyAndAScreenThatConnectsSeesWhatHappensFromThen() throws Exception {
        String bootstrap = TestInfra.kafkaBootstrap();
        String topic = "feed-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        AtomicBoolean watched = new AtomicBoolean(false);
        List<String> shown = new CopyOnWriteArrayList<>();
        try (BroadcastFeed feed = new BroadcastFeed("test", Map.of("bootstrap.servers", bootstrap), List.of(topic),
                e -> false, ids -> Set.of(), Duration.ofSeconds(1), e -> shown.add(e.id())).whileWatched(watched::get)
                .start()) {
            await().atMost(Duration.ofSeconds(30)).until(feed::ready);

            send(bootstrap, topic, "while-nobody-watches");
            await().atMost(Duration.ofSeconds(30)).until(() -> feed.passedOver() == 1);
            watched.set(true); // a screen connects
            send(bootstrap, topic, "once-a-screen-watches");
            await().atMost(Duration.ofSeconds(30)).until(() -> shown.contains("once-a-screen-watches"));

            assertEquals(List.of("once-a-screen-watches"), shown, "what happened before it connected is not shown");
        }
    }

    static void send(String bootstrap, String topic, String id) throws Exception {
        try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.<String, Object> of("bootstrap.servers", bootstrap),
                new StringSerializer(), new StringSerializer())) {
            p.send(new ProducerRecord<>(topic, "t-1", "{\"id\":\"" + id + "\",\"type\":\"ticket.taken\",\"subject\":\"t-1\"}"))
                    .get(30, TimeUnit.SECONDS);
        }
    }
}

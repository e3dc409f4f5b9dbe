package org.hotline.backbone.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.hotline.backbone.config.BackboneConfig;
import org.hotline.backbone.testing.TestInfra;
import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Issue #15 item 5: topics are created with the production-safe replication by default (3 replicas,
 * {@code min.insync.replicas} 2, so an {@code acks=all} write survives the loss of a broker), the
 * local run and tests say 1 explicitly, and settings that cannot work fail at start with the fix.
 */
class TopicReplicationTest {

    @Test
    void productionDefaultsAreThreeReplicasAndTwoInSync() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(BackboneConfig.class)
                .withConverter(Duration.class, 200, new DurationConverter()) // "30s", as Quarkus reads it
                .withDefaultValue("quarkus.application.name", "some-service").build();
        BackboneConfig.Kafka kafka = config.getConfigMapping(BackboneConfig.class).kafka();
        assertEquals(3, kafka.replicationFactor());
        assertEquals(2, kafka.minInsyncReplicas());
        assertEquals(6, kafka.partitions());
    }

    @Test
    void threeBrokerClusterGetsTopicsWithThreeReplicasAndMinIsrTwo() throws Exception {
        KafkaClusterTestKit cluster = TestInfra.startBroker(new TestKitNodes.Builder().setCombined(true)
                .setNumBrokerNodes(3).setNumControllerNodes(3).build(), Map.of());
        try (Admin admin = admin(cluster.bootstrapServers())) {
            String topic = "rf3-" + UUID.randomUUID();
            assertEquals(List.of(topic), TopicBootstrap.ensure(admin, List.of(topic), 6, (short) 3, 2));
            // the broker asked may not have the new topic's metadata yet (UnknownTopicOrPartition): ask again
            TopicDescription d = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                            .get(topic), Objects::nonNull);
            assertEquals(6, d.partitions().size());
            d.partitions().forEach(p -> assertEquals(3, p.replicas().size(), "replicas of partition " + p.partition()));
            assertEquals("2", await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> minIsr(admin, topic),
                    Objects::nonNull));
            // a second service starting leaves the topic as it is
            assertEquals(List.of(), TopicBootstrap.ensure(admin, List.of(topic), 6, (short) 3, 2));
        } finally {
            TestInfra.close(cluster, Duration.ofSeconds(15));
        }
    }

    @Test
    void singleBrokerRunSetsOneAndGetsIt() throws Exception {
        try (Admin admin = admin(TestInfra.kafkaBootstrap())) {
            String topic = "rf1-" + UUID.randomUUID();
            TopicBootstrap.ensure(admin, List.of(topic), 2, (short) 1, 1);
            assertEquals("1", minIsr(admin, topic));
        }
    }

    @Test
    void productionDefaultsOnASingleBrokerFailWithTheSettingToChange() throws Exception {
        try (Admin admin = admin(TestInfra.kafkaBootstrap())) {
            String topic = "rf3-on-one-" + UUID.randomUUID();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> TopicBootstrap.ensure(admin, List.of(topic), 2, (short) 3, 2));
            assertTrue(e.getMessage().contains("HOTLINE_KAFKA_REPLICATION_FACTOR=1"), e.getMessage());
            assertFalse(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic));
        }
    }

    @Test
    void minIsrAboveTheReplicationFactorIsRefusedBeforeAnyTopicIsCreated() throws Exception {
        try (Admin admin = admin(TestInfra.kafkaBootstrap())) {
            String topic = "isr-" + UUID.randomUUID();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> TopicBootstrap.ensure(admin, List.of(topic), 2, (short) 1, 2));
            assertTrue(e.getMessage().contains("min-insync-replicas"), e.getMessage());
            assertFalse(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic));
        }
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }

    private static String minIsr(Admin admin, String topic) throws Exception {
        ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config c = admin.describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r);
        return c.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value();
    }
}

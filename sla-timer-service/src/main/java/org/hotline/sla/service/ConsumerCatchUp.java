package org.hotline.sla.service;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.hotline.sla.config.SlaConfig;
import org.jboss.logging.Logger;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Before the engine fires what fell due while the service was down, the events that arrived
 * meanwhile must be read: a stage met during the outage has its stage-end waiting on
 * dispatch-events, and breaching it first would be false. Caught up means this service's consumer
 * group has committed, on every partition of its input topics, the end offsets seen at start. It
 * gives up waiting after {@code sla.engine.catch-up-timeout}.
 */
@ApplicationScoped
public class ConsumerCatchUp {

    private static final Logger LOG = Logger.getLogger(ConsumerCatchUp.class);

    private final SlaConfig config;
    private final Map<String, Object> kafkaConfig;
    private final Clock clock;
    private Map<TopicPartition, Long> targets;
    private Instant giveUpAt;

    public ConsumerCatchUp(SlaConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
            Clock clock) {
        this.config = config;
        this.kafkaConfig = kafkaConfig;
        this.clock = clock;
    }

    /** True once caught up (or the wait timed out); cheap to call again. */
    public boolean caughtUp() {
        if (config.engine().catchUpTimeout().isZero()) {
            return true;
        }
        try (Admin admin = Admin.create(kafkaConfig)) {
            if (targets == null) {
                giveUpAt = clock.instant().plus(config.engine().catchUpTimeout());
                targets = endOffsets(admin, List.of(config.topics().ticketEvents(), config.topics().dispatchEvents()));
            }
            Map<TopicPartition, OffsetAndMetadata> committed = admin
                    .listConsumerGroupOffsets(config.consumerGroup()).partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS);
            long behind = 0;
            for (Map.Entry<TopicPartition, Long> e : targets.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                behind += Math.max(0, e.getValue() - (c == null ? 0 : c.offset()));
            }
            if (behind == 0) {
                LOG.info("consumers caught up: the timer engine starts firing");
                return true;
            }
            if (clock.instant().isAfter(giveUpAt)) {
                LOG.warnf("consumers still %d records behind after %s: firing anyway", behind,
                        config.engine().catchUpTimeout());
                return true;
            }
            return false;
        } catch (Exception e) {
            if (giveUpAt != null && clock.instant().isAfter(giveUpAt)) {
                LOG.warnf("cannot check consumer lag (%s): firing anyway", e.toString());
                return true;
            }
            return false;
        }
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, List<String> topics) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).forEach((name, d) -> d.partitions()
                .forEach(p -> request.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, Long> out = new HashMap<>();
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : admin.listOffsets(request).all()
                .get(10, TimeUnit.SECONDS).entrySet()) {
            out.put(e.getKey(), e.getValue().offset());
        }
        return out;
    }
}

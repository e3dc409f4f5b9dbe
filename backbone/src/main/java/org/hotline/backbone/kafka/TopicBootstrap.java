package org.hotline.backbone.kafka;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.hotline.backbone.config.BackboneConfig;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Creates this service's topics before the messaging channels start (brokers run with
 * auto-creation off): partitions enough for several consumer replicas to share the work, the
 * configured replication factor and {@code min.insync.replicas} (production: 3 and 2, so an
 * {@code acks=all} write survives the loss of a broker). Existing topics are left as they are; one
 * with fewer replicas than configured is logged, since only an operator can reassign partitions.
 */
@ApplicationScoped
public class TopicBootstrap {

    private static final Logger LOG = Logger.getLogger(TopicBootstrap.class);

    private final BackboneConfig config;
    private final Map<String, Object> kafkaConfig;

    public TopicBootstrap(BackboneConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.config = config;
        this.kafkaConfig = kafkaConfig;
    }

    // Priority 0 runs before SmallRye Reactive Messaging subscribes its channels.
    void createTopics(@Observes @Priority(0) StartupEvent ev) throws Exception {
        List<String> wanted = config.kafka().topics().orElse(List.of());
        if (wanted.isEmpty()) {
            return;
        }
        try (Admin admin = Admin.create(kafkaConfig)) {
            ensure(admin, wanted, config.kafka().partitions(), config.kafka().replicationFactor(),
                    config.kafka().minInsyncReplicas());
        }
    }

    /**
     * Creates the missing topics among {@code wanted}; returns their names. Refuses settings that
     * would make every {@code acks=all} write fail (min ISR above the replication factor) and
     * explains a replication factor the cluster cannot reach.
     */
    public static List<String> ensure(Admin admin, List<String> wanted, int partitions, short replicationFactor,
            int minInsyncReplicas) throws Exception {
        if (replicationFactor < 1 || minInsyncReplicas < 1 || minInsyncReplicas > replicationFactor) {
            throw new IllegalStateException("hotline.kafka.min-insync-replicas (" + minInsyncReplicas
                    + ") must be between 1 and hotline.kafka.replication-factor (" + replicationFactor
                    + "): otherwise no acks=all write is ever confirmed");
        }
        Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        warnUnderReplicated(admin, wanted.stream().filter(existing::contains).toList(), replicationFactor);
        List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t))
                .map(t -> new NewTopic(t, partitions, replicationFactor)
                        .configs(Map.of(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, String.valueOf(minInsyncReplicas))))
                .toList();
        if (missing.isEmpty()) {
            return List.of();
        }
        try {
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            LOG.infof("created topics %s (%d partitions, replication factor %d, min.insync.replicas %d)",
                    missing.stream().map(NewTopic::name).toList(), partitions, replicationFactor, minInsyncReplicas);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InvalidReplicationFactorException) {
                throw new IllegalStateException("cannot create topics with replication factor " + replicationFactor
                        + " (" + e.getCause().getMessage() + "); a cluster with fewer brokers (a local run, a test) sets "
                        + "HOTLINE_KAFKA_REPLICATION_FACTOR=1 and HOTLINE_KAFKA_MIN_INSYNC_REPLICAS=1", e.getCause());
            }
            // another service created it meanwhile: fine
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
        return missing.stream().map(NewTopic::name).toList();
    }

    private static void warnUnderReplicated(Admin admin, List<String> topics, short replicationFactor) {
        if (topics.isEmpty()) {
            return;
        }
        try {
            Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get(30,
                    TimeUnit.SECONDS);
            described.values().forEach(d -> {
                int replicas = d.partitions().isEmpty() ? 0 : d.partitions().get(0).replicas().size();
                if (replicas < replicationFactor) {
                    LOG.warnf("topic %s has %d replica(s), fewer than hotline.kafka.replication-factor %d: "
                            + "reassign its partitions (docs/operations.md)", d.name(), replicas, replicationFactor);
                }
            });
        } catch (Exception e) {
            // only a warning: never keep a service from starting over it
            LOG.debugf(e, "could not describe topics %s", topics);
        }
    }
}

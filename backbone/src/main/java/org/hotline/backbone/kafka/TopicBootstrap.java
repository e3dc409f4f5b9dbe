package org.hotline.backbone.kafka;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.hotline.backbone.config.BackboneConfig;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Creates this service's topics before the messaging channels start (brokers run with
 * auto-creation off): partitions enough for several consumer replicas to share the work.
 * Existing topics are left as they are.
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
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, config.kafka().partitions(), config.kafka().replicationFactor()))
                    .toList();
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                LOG.infof("created topics %s", missing.stream().map(NewTopic::name).toList());
            } catch (java.util.concurrent.ExecutionException e) {
                // another service created it meanwhile: fine
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                    throw e;
                }
            }
        }
    }
}

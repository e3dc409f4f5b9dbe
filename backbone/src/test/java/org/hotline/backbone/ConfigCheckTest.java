package org.hotline.backbone;

import static org.hotline.backbone.testing.ConfigCheck.refused;

import java.util.Map;

import org.hotline.backbone.config.BackboneConfig;
import org.hotline.backbone.testing.ConfigCheck;
import org.junit.jupiter.api.Test;

/** A count of zero refuses the start, naming the setting, instead of a service that starts and then cannot work. */
class ConfigCheckTest {

    @Test
    void aZeroCountRefusesTheStartNamingTheSetting() {
        refused(BackboneConfig.class, "hotline.consumer.max-attempts", "0");
        refused(BackboneConfig.class, "hotline.outbox.batch-size", "0");
        refused(BackboneConfig.class, "hotline.kafka.partitions", "0");
        refused(BackboneConfig.class, "hotline.kafka.replication-factor", "0");
        refused(BackboneConfig.class, "hotline.kafka.min-insync-replicas", "0");
    }

    @Test
    void theDefaultsPass() {
        ConfigCheck.mapping(BackboneConfig.class, Map.of());
    }
}

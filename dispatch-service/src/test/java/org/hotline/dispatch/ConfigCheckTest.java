package org.hotline.dispatch;

import static org.hotline.backbone.testing.ConfigCheck.refused;

import java.util.Map;

import org.hotline.backbone.testing.ConfigCheck;
import org.hotline.dispatch.config.DispatchConfig;
import org.junit.jupiter.api.Test;

/** A count of zero refuses the start, naming the setting, instead of a service that starts and then cannot work. */
class ConfigCheckTest {

    @Test
    void aZeroCountRefusesTheStartNamingTheSetting() {
        refused(DispatchConfig.class, "dispatch.ack-worker.batch-size", "0");
    }

    @Test
    void theDefaultsPass() {
        ConfigCheck.mapping(DispatchConfig.class, Map.of());
    }
}

package org.hotline.sla;

import static org.hotline.backbone.testing.ConfigCheck.refused;

import java.util.Map;

import org.hotline.backbone.testing.ConfigCheck;
import org.hotline.sla.config.SlaConfig;
import org.junit.jupiter.api.Test;

/** A count of zero refuses the start, naming the setting, instead of a service that starts and then cannot work. */
class ConfigCheckTest {

    @Test
    void aZeroCountRefusesTheStartNamingTheSetting() {
        refused(SlaConfig.class, "sla.time-compression", "0");
        refused(SlaConfig.class, "sla.engine.threads", "0");
        refused(SlaConfig.class, "sla.engine.max-attempts", "0");
        refused(SlaConfig.class, "sla.engine.batch-size", "0");
    }

    @Test
    void theDefaultsPass() {
        ConfigCheck.mapping(SlaConfig.class, Map.of());
    }
}

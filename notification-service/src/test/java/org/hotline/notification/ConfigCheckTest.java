package org.hotline.notification;

import static org.hotline.backbone.testing.ConfigCheck.refused;

import java.util.Map;

import org.hotline.backbone.testing.ConfigCheck;
import org.hotline.notification.config.NotificationConfig;
import org.junit.jupiter.api.Test;

/** A count of zero refuses the start, naming the setting, instead of a service that starts and then cannot work. */
class ConfigCheckTest {

    @Test
    void aZeroCountRefusesTheStartNamingTheSetting() {
        refused(NotificationConfig.class, "notification.delivery.max-attempts", "0");
        refused(NotificationConfig.class, "notification.delivery.batch-size", "0");
        refused(NotificationConfig.class, "notification.delivery.concurrency", "0");
        refused(NotificationConfig.class, "notification.breaker.request-volume-threshold", "0");
        refused(NotificationConfig.class, "notification.breaker.success-threshold", "0");
    }

    @Test
    void theDefaultsPass() {
        ConfigCheck.mapping(NotificationConfig.class, Map.of());
    }
}

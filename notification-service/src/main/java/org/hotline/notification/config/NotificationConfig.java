package org.hotline.notification.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "notification")
public interface NotificationConfig {

    Topics topics();

    interface Topics {
        @WithDefault("dispatch-events")
        String dispatchEvents();

        @WithDefault("sla-events")
        String slaEvents();
    }
}

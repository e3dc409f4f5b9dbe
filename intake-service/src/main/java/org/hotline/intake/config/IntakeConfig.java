package org.hotline.intake.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "intake")
public interface IntakeConfig {

    Topics topics();

    interface Topics {
        /** Where ticket lifecycle events go. */
        @WithDefault("ticket-events")
        String ticketEvents();
    }
}

package org.hotline.intake.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "intake")
public interface IntakeConfig {

    Topics topics();

    /** The oldest report time accepted: an upstream record may arrive late, but not a month late. */
    @WithDefault("P30D")
    java.time.Duration maxReportAge();

    interface Topics {
        /** Where ticket lifecycle events go. */
        @WithDefault("ticket-events")
        String ticketEvents();
    }
}

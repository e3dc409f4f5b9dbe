package org.hotline.sla.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "sla")
public interface SlaConfig {

    Topics topics();

    /**
     * Divides every policy duration: 1 in production; tests use 60 so that minutes become
     * seconds and a 13830 ticket runs through its stages in half a minute.
     */
    @WithDefault("1")
    long timeCompression();

    interface Topics {
        @WithDefault("ticket-events")
        String ticketEvents();

        @WithDefault("dispatch-events")
        String dispatchEvents();

        @WithDefault("sla-events")
        String slaEvents();
    }
}

package org.hotline.dispatch.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "dispatch")
public interface DispatchConfig {

    Topics topics();

    /** Dispatch straight to the top recommendation; the command room sees it and can override. */
    @WithDefault("true")
    boolean autoDispatch();

    DemoData demoData();

    interface Topics {
        @WithDefault("ticket-events")
        String ticketEvents();

        @WithDefault("dispatch-events")
        String dispatchEvents();
    }

    interface DemoData {
        /** Load the demo street's units at start (local run, tests); never in production. */
        @WithDefault("false")
        boolean enabled();
    }
}

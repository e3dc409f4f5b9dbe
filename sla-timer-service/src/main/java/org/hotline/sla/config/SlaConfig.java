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

    /** A timer firing later than this after its due time is reported as late (e.g. after downtime). */
    @WithDefault("1s")
    java.time.Duration lateAfter();

    Engine engine();

    /** Working days are counted in this zone (China's time zone). */
    @WithDefault("Asia/Shanghai")
    java.time.ZoneId zone();

    interface Engine {
        @WithDefault("true")
        boolean enabled();

        /** Timers claimed per transaction. */
        @WithDefault("200")
        int batchSize();

        /**
         * Longest sleep when nothing is due: how soon this instance notices a timer armed by
         * another instance that then died. Timers armed here wake the engine at once.
         */
        @WithDefault("1s")
        java.time.Duration idlePoll();
    }

    interface Topics {
        @WithDefault("ticket-events")
        String ticketEvents();

        @WithDefault("dispatch-events")
        String dispatchEvents();

        @WithDefault("sla-events")
        String slaEvents();
    }
}

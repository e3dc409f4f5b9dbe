package org.hotline.sla.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "sla")
public interface SlaConfig {

    Topics topics();

    /**
     * Divides every clock-time policy duration: 1 in production; tests use 20, so the 1-minute
     * stage takes 3 s. Working days are never compressed.
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

        /** Engine threads in this instance; they split due timers as replicas do. */
        @WithDefault("2")
        int threads();

        /** Timers claimed per transaction. */
        @WithDefault("200")
        int batchSize();

        /**
         * Longest sleep when nothing is due: how soon this instance notices a timer armed by
         * another instance that then died. Timers armed here wake the engine at once.
         */
        @WithDefault("1s")
        java.time.Duration idlePoll();

        /**
         * At start, how long the engine waits for this service's consumers to read what arrived
         * while it was down before firing overdue timers (0: do not wait).
         */
        @WithDefault("60s")
        java.time.Duration catchUpTimeout();
    }

    /** The consumer group of this service's input channels (for the start-up catch-up). */
    @WithDefault("sla-timer-service")
    String consumerGroup();

    interface Topics {
        @WithDefault("ticket-events")
        String ticketEvents();

        @WithDefault("dispatch-events")
        String dispatchEvents();

        @WithDefault("sla-events")
        String slaEvents();
    }
}

package org.hotline.sla.config;

import jakarta.validation.constraints.Positive;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "sla")
public interface SlaConfig {

    Topics topics();

    /**
     * Divides every clock-time policy duration: 1 in production; tests use 20, so the 1-minute
     * stage takes 3 s. Working days are never compressed.
     */
    @Positive
    @WithDefault("1")
    long timeCompression();

    /** A timer firing later than this after its due time is reported as late (e.g. after downtime). */
    @WithDefault("1s")
    java.time.Duration lateAfter();

    Engine engine();

    /**
     * How long after a deadline the breach is published: a stage end that happened in time but is
     * still on its way (outbox relay and consumer lag, normally well under a second; a broker
     * failover or a rebalance takes longer) is then counted on time instead of corrected after the
     * fact. Never compressed. A proof arriving later still corrects the breach (sla.breach-corrected).
     */
    @WithDefault("2s")
    java.time.Duration breachGrace();

    interface Engine {
        @WithDefault("true")
        boolean enabled();

        /** Engine threads in this instance; they split due timers as replicas do. */
        @Positive
        @WithDefault("2")
        int threads();

        /**
         * Attempts before a timer whose firing always fails (a poison timer) is quarantined: set
         * aside with its error, counted (sla_timers_quarantined_total) and alerted on, so it no
         * longer fails its batch on every replica.
         */
        @Positive
        @WithDefault("5")
        int maxAttempts();

        /** Timers claimed per transaction. */
        @Positive
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

package org.hotline.dispatch.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import jakarta.validation.constraints.Positive;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

@ConfigMapping(prefix = "dispatch")
public interface DispatchConfig {

    Topics topics();

    /** Dispatch straight to the top recommendation; the command room sees it and can override. */
    @WithDefault("true")
    boolean autoDispatch();

    /** A lead offer not acknowledged (签收) within this passes to the next recommended unit. */
    @WithDefault("PT3M")
    Duration ackTimeout();

    /** Per category code (e.g. {@code dispatch.categories.WAGE_ARREARS.auto-dispatch=false}). */
    Map<String, Category> categories();

    Arrival arrival();

    @WithName("ping-pong")
    PingPong pingPong();

    AckWorker ackWorker();

    DemoData demoData();

    default boolean autoDispatch(String category) {
        Category c = categories().get(category);
        return c != null && c.autoDispatch().isPresent() ? c.autoDispatch().get() : autoDispatch();
    }

    default Duration ackTimeout(String category) {
        Category c = categories().get(category);
        return c != null && c.ackTimeout().isPresent() ? c.ackTimeout().get() : ackTimeout();
    }

    interface Category {
        Optional<Boolean> autoDispatch();

        Optional<Duration> ackTimeout();
    }

    interface Arrival {
        /** An arrival reported farther than this (metres) from the ticket's location is flagged. */
        @WithDefault("500")
        double maxDistance();
    }

    interface PingPong {
        /** Returned (退单) more often than this: the ticket is ping-pong (ticket.ping-pong). */
        @WithDefault("2")
        int maxReturns();
    }

    interface AckWorker {
        @WithDefault("true")
        boolean enabled();

        /** Longest sleep between scans; a new offer wakes it sooner when it is due sooner. */
        @WithDefault("1s")
        Duration pollInterval();

        @Positive
        @WithDefault("50")
        int batchSize();
    }

    interface Topics {
        @WithDefault("ticket-events")
        String ticketEvents();

        @WithDefault("dispatch-events")
        String dispatchEvents();

        @WithDefault("unit-events")
        String unitEvents();
    }

    interface DemoData {
        /** Load the demo street's units at start (local run, tests); never in production. */
        @WithDefault("false")
        boolean enabled();
    }
}

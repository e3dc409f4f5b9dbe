package org.hotline.intake.config;

import java.time.Duration;

import jakarta.validation.constraints.Positive;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Intake's settings. The numbers are checked when the service starts (Bean Validation on the
 * mapping): a zero there, e.g. no group-commit lane, refuses the start with the setting's name
 * instead of a service that answers every report with a 500.
 */
@ConfigMapping(prefix = "intake")
public interface IntakeConfig {

    Topics topics();

    /** The oldest report time accepted: an upstream record may arrive late, but not a month late. */
    @WithDefault("P30D")
    Duration maxReportAge();

    Repeat repeat();

    Idempotency idempotency();

    RateLimit rateLimit();

    GroupCommit groupCommit();

    /**
     * Categories, streets and grids, read on every create and changed only by migration or SQL,
     * are kept in memory this long. A code not in memory is looked up again at once (a street added
     * by SQL counts on its first use); a deactivation or a changed default shows within this time.
     */
    @WithDefault("PT30S")
    Duration referenceRefresh();

    interface Topics {
        /** Where ticket lifecycle events go. */
        @WithDefault("ticket-events")
        String ticketEvents();

        /** 110 hand-over records (双非警情) from the police dispatch system. */
        @WithDefault("upstream.110-handover")
        String upstream110();

        /** Work orders pushed by the provincial 12345 platform. */
        @WithDefault("upstream.12345-orders")
        String upstream12345();
    }

    /** 重复件: when a new report is recorded against an open ticket instead of opening another. */
    interface Repeat {
        /** A report matches open tickets reported at most this long before it. */
        @WithDefault("PT72H")
        Duration window();

        /** Same category within this many metres (both reports need coordinates). */
        @WithDefault("100")
        double radiusMetres();

        /** Off: every report becomes a ticket. */
        @WithDefault("true")
        boolean enabled();
    }

    interface Idempotency {
        /** How long an Idempotency-Key keeps returning its first result. */
        @WithDefault("PT24H")
        Duration ttl();
    }

    /**
     * Ticket creation over REST, per token user (a token bucket each): a person at the desk takes
     * a call in minutes, so the default only stops a script or a stuck client. Upstream feeds
     * (Kafka) are not limited. Buckets live in this replica's memory.
     */
    interface RateLimit {
        @WithDefault("true")
        boolean enabled();

        /** Creates a user may make in a burst. */
        @Positive
        @WithDefault("30")
        long capacity();

        /** Creates given back per minute, one at a time (greedy refill). */
        @Positive
        @WithDefault("30")
        long refillPerMinute();

        /** Users with a bucket held at once; the least recently active is forgotten beyond it. */
        @Positive
        @WithDefault("10000")
        int maxClients();
    }

    /**
     * Reports that arrive together are written in one transaction (one commit for the group, each
     * request still answered only once its ticket is durable); a lone report is written at once.
     */
    interface GroupCommit {
        /** Groups written at the same time, each on its own connection. */
        @Positive
        @WithDefault("2")
        int lanes();

        /** The most reports in one transaction. */
        @Positive
        @WithDefault("32")
        int maxReports();
    }
}

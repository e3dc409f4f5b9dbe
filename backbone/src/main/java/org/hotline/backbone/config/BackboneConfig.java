package org.hotline.backbone.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.validation.constraints.Positive;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Event plumbing settings shared by every service ({@code hotline.*}). */
@ConfigMapping(prefix = "hotline")
public interface BackboneConfig {

    /** The service's name: CloudEvents source, consumer name for idempotency, metrics tag. */
    @WithDefault("${quarkus.application.name}")
    String serviceName();

    Outbox outbox();

    Kafka kafka();

    Consumer consumer();

    Clock clock();

    /**
     * Writes (POST, PUT, PATCH, DELETE) being served or waiting for a worker thread at once; one
     * more is refused at once with 503 and Retry-After instead of waiting in an unbounded queue,
     * where under overload it would be served long after its client gave up (0: no limit).
     */
    @WithDefault("128")
    int maxWritesInFlight();

    /**
     * The zone of every local time the system shows or counts in: duty rosters, working days,
     * "today" on a console (China's time zone). One setting for every service.
     */
    @WithDefault("Asia/Shanghai")
    java.time.ZoneId timeZone();

    enum ClockSource {
        /** The host clock corrected by its measured offset to PostgreSQL's (production). */
        DATABASE,
        /** The host clock as it is. */
        SYSTEM
    }

    interface Clock {
        @WithDefault("database")
        ClockSource source();

        /** How often the offset to the database's clock is measured again. */
        @WithDefault("30s")
        Duration syncInterval();

        /** A host clock off by more than this is logged as a warning (the services stay right). */
        @WithDefault("1s")
        Duration warnSkew();
    }

    /** One-tap acknowledgement links (SignedToken): notification-service signs, dispatch-service verifies. */
    AckToken ackToken();

    /** Callers' JWTs whose signature and claims were checked, remembered (VerifiedTokens). */
    VerifiedTokensConfig verifiedTokens();

    interface VerifiedTokensConfig {
        /** Tokens remembered at most; 0: every request's token is verified again. */
        @WithDefault("10000")
        int maxSize();

        /**
         * How long a verified token is remembered at most (never past its own expiry): a key the
         * identity provider withdraws stops admitting its tokens within this time.
         */
        @WithDefault("5m")
        Duration ttl();
    }

    interface AckToken {
        /** Shared HMAC secret (env HOTLINE_ACK_TOKEN_SECRET); the default is for the local run only. */
        @WithDefault("dev-ack-secret-change-me")
        String secret();

        /** How long a link stays valid. */
        @WithDefault("PT30M")
        Duration ttl();
    }

    interface Consumer {
        /** Attempts for a record whose processing fails for a reason that is neither poison nor transient. */
        @Positive
        @WithDefault("8")
        int maxAttempts();

        @WithDefault("200ms")
        Duration initialBackoff();

        @WithDefault("10s")
        Duration maxBackoff();

        /**
         * How long a consumed event id is remembered to drop redeliveries. Must outlast the
         * topics' retention (Kafka's default is 7 days): a replayed event older than this would
         * be applied again.
         */
        @WithDefault("P14D")
        Duration dedupRetention();

        /** How often old event ids are pruned. */
        @WithDefault("PT10M")
        Duration pruneInterval();
    }

    interface Outbox {
        /** Off only to prove that events survive in the outbox until a relay runs. */
        @WithDefault("true")
        boolean relayEnabled();

        @Positive
        @WithDefault("500")
        int batchSize();

        /** Fallback poll; commits wake the relay (at once, or after {@link #minPassInterval()}). */
        @WithDefault("500ms")
        Duration pollInterval();

        /**
         * The shortest time from one pass's start to the next: commits that come faster share a
         * pass (one transaction and one Kafka request for all their events) instead of each waking
         * one; a commit after a quiet spell is relayed at once, and a full batch is followed at once.
         * 0: a pass per wake.
         */
        @WithDefault("50ms")
        Duration minPassInterval();

        /** How long published rows are kept before cleanup. */
        @WithDefault("P7D")
        Duration retention();

        /** Readiness fails when an event waits longer than this. */
        @WithDefault("60s")
        Duration maxLag();
    }

    interface Kafka {
        /** Topics this service produces or consumes; created at start if missing (no auto-creation). */
        Optional<List<String>> topics();

        @Positive
        @WithDefault("6")
        int partitions();

        /**
         * Replicas of each topic this service creates. The default is the production one: with
         * fewer than 3, {@code acks=all} protects nothing when a broker dies. A single-broker
         * local run or test sets 1 ({@code HOTLINE_KAFKA_REPLICATION_FACTOR}).
         */
        @Positive
        @WithDefault("3")
        short replicationFactor();

        /**
         * {@code min.insync.replicas} of each topic this service creates: an {@code acks=all} write
         * is confirmed only once this many replicas have it, so 2 of 3 survives the loss of any
         * one broker ({@code HOTLINE_KAFKA_MIN_INSYNC_REPLICAS}; 1 with a single broker).
         */
        @Positive
        @WithDefault("2")
        int minInsyncReplicas();
    }
}

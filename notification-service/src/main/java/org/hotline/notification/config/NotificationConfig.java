package org.hotline.notification.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.validation.constraints.Positive;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Everything notification-service reads from configuration ({@code notification.*}); docs/notification.md lists it. */
@ConfigMapping(prefix = "notification")
public interface NotificationConfig {

    Topics topics();

    /**
     * Who is told of what: event type (or {@code <type>.<level>} for sla.escalated, which wins over
     * the plain type) → targets, each {@code WHO->CHANNEL[+CHANNEL...]}, e.g.
     * {@code UNIT_ON_DUTY->SMS, UNIT->CONSOLE}. WHO is UNIT_ON_DUTY, ASSIGNED_UNITS_ON_DUTY, UNIT,
     * COMMAND_ROOM, ESCALATION_RECIPIENT or ROLE(name). An event type without a rule is not notified.
     */
    Map<String, List<String>> rules();

    /** People the rules can name by role, per street (no street: county-wide), keyed by a person id. */
    Map<String, Person> directory();

    /** Display names used by templates: category codes and street codes. */
    Labels labels();

    /** Language of a recipient without one; templates fall back to English when a language has none. */
    @WithDefault("zh-CN")
    String defaultLocale();

    /** Base of the one-tap acknowledgement link; the signed token is appended. */
    @WithDefault("http://127.0.0.1:8102/api/field/ack/")
    String ackLinkBase();

    Webhook webhook();

    Sms sms();

    Delivery delivery();

    Breaker breaker();

    interface Topics {
        @WithDefault("dispatch-events")
        String dispatchEvents();

        @WithDefault("sla-events")
        String slaEvents();

        @WithDefault("ticket-events")
        String ticketEvents();

        @WithDefault("unit-events")
        String unitEvents();
    }

    interface Person {
        String name();

        /** e.g. DISPATCHER, COMMAND_ROOM_SUPERVISOR, STREET_LEADER, COUNTY_CENTRE */
        String role();

        /** Street code; absent: the person serves every street (county level). */
        Optional<String> street();

        Optional<String> phone();

        /** This person's webhook (e.g. a group-chat robot); absent: notification.webhook.url. */
        Optional<String> webhook();

        Optional<String> locale();
    }

    interface Labels {
        Map<String, String> categories();

        Map<String, String> streets();
    }

    interface Webhook {
        /** Default webhook URL; without it (and without a person's own), no webhook rows are made. */
        Optional<String> url();

        /** The public development default of {@link #secret()}: a packaged service refuses it. */
        String DEV_SECRET = "dev-webhook-secret-change-me";

        /** HMAC-SHA256 key of the X-Hotline-Signature header. */
        @WithDefault(DEV_SECRET)
        String secret();

        @WithDefault("3s")
        Duration connectTimeout();

        @WithDefault("5s")
        Duration timeout();
    }

    interface Sms {
        /** The SMS provider's send API; without it, no SMS rows are made. */
        Optional<String> url();

        /** Provider template id per event type; {@code default} for the rest. */
        @WithName("template-ids")
        Map<String, String> templateIds();

        @WithDefault("HOTLINE_NOTICE")
        String defaultTemplateId();

        /** Sent as X-Api-Key when set. */
        Optional<String> apiKey();

        @WithDefault("3s")
        Duration connectTimeout();

        @WithDefault("5s")
        Duration timeout();
    }

    interface Delivery {
        @WithDefault("true")
        boolean enabled();

        /** Attempts before a row is DEAD. */
        @Positive
        @WithDefault("6")
        int maxAttempts();

        /** Backoff before attempt n+1: min(max-delay, base * 2^(n-1)), then "equal jitter" (half fixed, half random). */
        @WithDefault("2s")
        Duration baseDelay();

        @WithDefault("5m")
        Duration maxDelay();

        /** Upper bound of one claim; a claim also takes no more rows than there are free senders. */
        @Positive
        @WithDefault("50")
        int batchSize();

        /**
         * Senders: sends in flight at once (a slow webhook does not hold up SMS). A sender holds a
         * database connection only for its renewal and its outcome, never during the call; 12 of
         * them and the claiming loop leave 3 of the pool's 16 for the consumer and the API even
         * when every sender is in a statement at once.
         */
        @Positive
        @WithDefault("12")
        int concurrency();

        /**
         * Event types whose rows go out ahead of every other due row: a unit's order must not wait
         * behind a storm of SLA webhooks. Rows of one ticket, recipient and channel keep the order
         * of their events whatever their priority.
         */
        @WithDefault("assignment.created,assignment.ack-lapsed,ticket.repeat-reported")
        List<String> urgentTypes();

        /** Fallback poll; new rows wake the worker at once. */
        @WithDefault("1s")
        Duration pollInterval();

        /** A claimed row is retried after this if its worker died mid-send (restart safety). */
        @WithDefault("60s")
        Duration lease();
    }

    /** One circuit breaker per channel (SmallRye Fault Tolerance). */
    interface Breaker {
        /** Rolling window of calls the failure ratio is computed over. */
        @Positive
        @WithDefault("10")
        int requestVolumeThreshold();

        @WithDefault("0.5")
        double failureRatio();

        /** How long it stays open before letting a trial call through. */
        @WithDefault("30s")
        Duration delay();

        /** Trial calls that must succeed to close it again. */
        @Positive
        @WithDefault("1")
        int successThreshold();
    }
}

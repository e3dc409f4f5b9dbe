package org.hotline.intake.messaging;

import java.time.Duration;
import java.util.Comparator;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hotline.backbone.config.BackboneConfig;
import org.hotline.backbone.event.PoisonEventException;
import org.hotline.backbone.inbox.EventInbox;
import org.hotline.backbone.security.Mask;
import org.hotline.backbone.web.NulText;
import org.hotline.backbone.web.ProblemException;
import org.hotline.intake.model.CreateTicketRequest;
import org.hotline.intake.model.ReceiveResult;
import org.hotline.intake.service.CategoryCatalogue;
import org.hotline.intake.service.IntakeMetrics;
import org.hotline.intake.service.StreetRegistry;
import org.hotline.intake.service.TicketIntake;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

/**
 * The upstream feeds: each record becomes a report through the same door as the operator desk
 * ({@link TicketIntake}), so the rules are the same. Idempotent by the upstream reference (the
 * second delivery of an incident or order number returns the first ticket). A record that can
 * never become a ticket (not JSON, a missing or invalid field, an unknown category, street or
 * grid) is poison: the channel's dead-letter strategy writes it to {@code intake-service.dlq} with
 * the reason. A
 * database outage is retried without limit, holding the records behind it.
 */
@ApplicationScoped
public class UpstreamConsumer {

    private static final Logger LOG = Logger.getLogger(UpstreamConsumer.class);

    private final TicketIntake intake;
    private final Validator validator;
    private final IntakeMetrics metrics;
    private final BackboneConfig backbone;
    /** Foreign systems add fields over time: ignore what we do not read (tolerant reader). */
    private final ObjectMapper json;

    /**
     * The feeds' own worker pool (smallrye.messaging.worker.upstream-feeds.max-concurrency), never the
     * one the HTTP requests share: there a handover queued behind every request already waiting
     * for a thread, so the operators' load held the police's hand-overs back.
     */
    static final String UPSTREAM_THREADS = "upstream-feeds";

    public UpstreamConsumer(TicketIntake intake, Validator validator, IntakeMetrics metrics, BackboneConfig backbone,
            ObjectMapper mapper) {
        this.intake = intake;
        this.validator = validator;
        this.metrics = metrics;
        this.backbone = backbone;
        this.json = mapper.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    @Incoming("upstream-110")
    @Blocking(UPSTREAM_THREADS)
    public void handover110(String value) {
        take(value, Handover110.class, "upstream-110", Handover110::toRequest, Handover110::fieldName);
    }

    @Incoming("upstream-12345")
    @Blocking(UPSTREAM_THREADS)
    public void platform12345(String value) {
        take(value, PlatformOrder12345.class, "upstream-12345", PlatformOrder12345::toRequest,
                PlatformOrder12345::fieldName);
    }

    <T> void take(String value, Class<T> type, String channel, Function<T, CreateTicketRequest> toRequest,
            UnaryOperator<String> fieldName) {
        CreateTicketRequest request;
        try {
            request = toRequest.apply(parse(value, type));
        } catch (PoisonEventException e) {
            metrics.rejected(channel, e.getMessage().startsWith("not JSON") ? "malformed_json" : "invalid_value");
            throw e;
        }
        Duration backoff = backbone.consumer().initialBackoff();
        for (int attempt = 1;; attempt++) {
            try {
                ReceiveResult r = intake.receive(request, null, channel);
                LOG.infof("%s %s → %s %s%s", channel, request.upstreamRef(), r.kind(),
                        r.kind() == ReceiveResult.Kind.REPEAT ? r.repeat().id + " of " + r.ticket().id : r.ticket().id,
                        r.replay() ? " (seen before)" : "");
                return;
            } catch (ProblemException e) {
                String reason = e.errors().isEmpty() ? e.getMessage()
                        : e.errors().stream().map(f -> fieldName.apply(f.field()) + ": " + f.reason())
                                .collect(Collectors.joining("; "));
                metrics.rejected(channel, reasonTag(e));
                throw new PoisonEventException("refused: " + Mask.phonesIn(reason));
            } catch (RuntimeException e) {
                boolean transientFailure = EventInbox.retryable(e); // infrastructure: retried without limit
                if (!transientFailure && attempt >= backbone.consumer().maxAttempts()) {
                    throw new PoisonEventException("gave up after " + attempt + " attempts: " + e, e);
                }
                if (attempt == 1 || attempt % 10 == 0) {
                    LOG.warnf("%s record %s failed (attempt %d), retrying in %s: %s", channel, request.upstreamRef(),
                            attempt, backoff, e.toString());
                }
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoff = backoff.multipliedBy(2).compareTo(backbone.consumer().maxBackoff()) > 0
                        ? backbone.consumer().maxBackoff() : backoff.multipliedBy(2);
            }
        }
    }

    private static String reasonTag(ProblemException e) {
        return CategoryCatalogue.UNKNOWN_CATEGORY.equals(e.title()) ? "unknown_category"
                : StreetRegistry.UNKNOWN_STREET.equals(e.title()) ? "unknown_street" : "invalid_value";
    }

    /** JSON to the record type, then the record's own required fields; anything wrong is poison. */
    private <T> T parse(String value, Class<T> type) {
        if (value == null || value.isBlank()) {
            throw new PoisonEventException("not JSON: empty record value");
        }
        T record;
        try {
            record = json.readValue(value, type);
        } catch (JsonMappingException e) {
            String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                    : "[" + r.getIndex() + "]").collect(Collectors.joining(".")).replace(".[", "[");
            throw new PoisonEventException(
                    field.isEmpty()
                            ? "not JSON: " + Mask.phonesIn(e.getOriginalMessage())
                            : "invalid record: " + field + ": "
                                    + (e instanceof NulText.NulException ? NulText.REASON : "wrong type or value"), e);
        } catch (JsonProcessingException e) {
            throw new PoisonEventException("not JSON: " + Mask.phonesIn(e.getOriginalMessage()), e);
        }
        if (record == null) {
            throw new PoisonEventException("not JSON: null");
        }
        Set<ConstraintViolation<T>> violations = validator.validate(record);
        if (!violations.isEmpty()) {
            throw new PoisonEventException("invalid record: " + violations.stream()
                    .map(v -> v.getPropertyPath() + ": " + v.getMessage()).sorted(Comparator.naturalOrder())
                    .collect(Collectors.joining("; ")));
        }
        return record;
    }
}

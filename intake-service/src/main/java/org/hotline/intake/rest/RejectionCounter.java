package org.hotline.intake.rest;

import org.hotline.backbone.web.Problem;
import org.hotline.intake.service.CategoryCatalogue;
import org.hotline.intake.service.IntakeMetrics;
import org.hotline.intake.service.StreetRegistry;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * Counts every refused request ({@code intake_rejections_total{channel="rest",reason}}), from the
 * problem document the backbone's mappers wrote. Reasons are a small fixed set, never a field
 * name a client made up. A body over the size limit never reaches JAX-RS: backbone's BodyLimit
 * refuses it first and counts it as {@code http_body_too_large_total}.
 */
@Provider
public class RejectionCounter implements ContainerResponseFilter {

    private final IntakeMetrics metrics;

    public RejectionCounter(IntakeMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (response.getStatus() >= 400 && response.getStatus() < 500 && response.getEntity() instanceof Problem p) {
            metrics.rejected("rest", reason(p));
        }
    }

    static String reason(Problem p) {
        return switch (p.status()) {
            case 404 -> "not_found";
            case 409 -> "conflict";
            case 401 -> "unauthenticated";
            case 403 -> "forbidden";
            case 429 -> "rate_limited";
            case 415 -> "unsupported_media_type";
            case 422 -> "idempotency_key_reused";
            case 400 -> switch (p.title() == null ? "" : p.title()) {
                case CategoryCatalogue.UNKNOWN_CATEGORY -> "unknown_category";
                case StreetRegistry.UNKNOWN_STREET -> "unknown_street";
                // the body did not parse, or a value has the wrong JSON type / is not an enum constant
                case "Invalid request body" -> p.errors() == null || p.errors().isEmpty() ? "malformed_json"
                        : "wrong_type";
                default -> "invalid_value";
            };
            default -> "other";
        };
    }
}

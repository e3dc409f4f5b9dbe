package org.hotline.backbone.web;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * A body over {@code quarkus.http.limits.max-body-size} (64 KiB unless a service says otherwise)
 * is refused before it is read, as RFC 9457 problem+json like every other refusal (Quarkus alone
 * answers a bare 413). A chunked body without a length is still cut at the limit by Quarkus itself.
 */
@ApplicationScoped
public class BodyLimit {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBodySize;

    void install(@Observes Router router, MeterRegistry registry) {
        long limit = maxBodySize.asLongValue();
        Counter refused = Counter.builder("http_body_too_large").description("requests refused: body over the limit")
                .register(registry);
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            long declared;
            try {
                declared = length == null ? -1 : Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                declared = -1;
            }
            if (declared > limit) {
                refused.increment();
                ctx.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end("{\"title\":\"Payload too large\",\"status\":413,\"detail\":\"the body has " + declared
                                + " bytes; at most " + limit + " are accepted\",\"instance\":\""
                                + ctx.request().path().replaceAll("[\"\\\\]", "") + "\",\"errors\":[{\"field\":\"body\",\"reason\":\"larger than "
                                + limit + " bytes\"}]}");
                return;
            }
            ctx.next();
        });
    }
}

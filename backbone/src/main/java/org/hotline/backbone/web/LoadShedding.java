package org.hotline.backbone.web;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.hotline.backbone.config.BackboneConfig;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Sheds load at the door: at most {@code hotline.max-writes-in-flight} writes are served or wait
 * for a worker thread; the next is answered at once, on the event loop, with 503 problem+json and
 * {@code Retry-After}. Without it an overload queues requests without bound: the service spends
 * its CPU on requests whose clients have already timed out (the intake benchmark at 500/s stored
 * 29 tickets/s, with 100 s of full GCs), and every client waits. Reads, health and metrics are
 * not counted (a live stream is a long read, and probes must always answer).
 */
@ApplicationScoped
public class LoadShedding {

    private static final Set<HttpMethod> WRITES = Set.of(HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
            HttpMethod.DELETE);

    void install(@Observes Router router, BackboneConfig config, MeterRegistry registry) {
        int limit = config.maxWritesInFlight();
        if (limit <= 0) {
            return;
        }
        AtomicInteger inFlight = new AtomicInteger();
        Gauge.builder("http_writes_in_flight", inFlight, AtomicInteger::get)
                .description("writes being served or waiting for a worker thread").register(registry);
        Counter shed = Counter.builder("http_writes_shed").description("writes refused with 503: too many in flight")
                .register(registry);
        router.route().order(Integer.MIN_VALUE + 1).handler(ctx -> {
            if (!WRITES.contains(ctx.request().method()) || ctx.request().path().startsWith("/q/")) {
                ctx.next();
                return;
            }
            if (inFlight.incrementAndGet() > limit) {
                inFlight.decrementAndGet();
                shed.increment();
                ctx.response().setStatusCode(503).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .putHeader(HttpHeaders.RETRY_AFTER, "1")
                        .end("{\"title\":\"Service busy\",\"status\":503,\"detail\":\"" + limit
                                + " requests are being served; nothing was written, retry after 1 s\",\"instance\":\""
                                + ctx.request().path().replaceAll("[\"\\\\]", "") + "\"}");
                return;
            }
            ctx.addEndHandler(done -> inFlight.decrementAndGet());
            ctx.next();
        });
    }
}

package org.hotline.backbone.audit;

import java.lang.reflect.Method;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import org.hotline.backbone.security.Mask;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;

/**
 * Records every action by a person: each non-read request with a verified token, whatever its
 * outcome, every refusal (403) of a read, and every read that showed a caller's personal data in
 * full (the resource says so through {@link AuditTrail#personalDataShown(Object)}), per ticket. Requests without a verified person (401, and 413
 * refused before any endpoint) name no one and are not recorded. One filter for every endpoint of every service, so no
 * endpoint can forget it. The entry is written after the action's own transaction (with the entries of
 * requests finishing at the same time: {@link AuditLog#append}), before the
 * response leaves: a client that got its answer knows the entry exists. A failed write is logged and
 * counted ({@code audit_write_failures_total}); it does not undo the action.
 */
public class AuditFilter {

    private static final Logger LOG = Logger.getLogger(AuditFilter.class);
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    /** Marks a recorded read: it showed a caller's personal data in full. */
    public static final String PERSONAL_DATA_READ = " (caller data shown)";

    @Inject
    CurrentIdentityAssociation identities;

    @Inject
    AuditTrail trail;

    @Inject
    AuditLog log;

    @Inject
    Clock clock;

    private final Counter failures;

    @Inject
    public AuditFilter(MeterRegistry registry) {
        this.failures = Counter.builder("audit_write_failures").description("audit entries that could not be written")
                .register(registry);
    }

    @ServerResponseFilter
    public Uni<Void> audit(ContainerRequestContext request, ContainerResponseContext response, ResourceInfo resource,
            HttpServerRequest http) {
        String method = request.getMethod();
        int status = response.getStatus();
        boolean read = READS.contains(method) && status != 403;
        // a successful read is recorded only when it showed callers in full: one entry per ticket
        List<String> shown = read && status < 300 ? List.copyOf(trail.personalDataShown()) : List.of();
        if (read && shown.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String action = method + " " + template(resource, request) + (read ? PERSONAL_DATA_READ : "");
        String ticket = ticket(request);
        String client = http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
        String linkActor = trail.actor();
        String linkMeans = trail.means();
        // once the entry is written the response goes on on this request's context, not on the writer's thread
        Context context = Vertx.currentContext();
        Executor back = context == null ? Infrastructure.getDefaultWorkerPool()
                : task -> context.runOnContext(ignored -> task.run());
        // a token that failed verification (already answered 401) yields no identity: nothing to record
        return identities.getDeferredIdentity().onFailure().recoverWithNull().onItem().transformToUni(identity -> {
            boolean person = identity != null && !identity.isAnonymous();
            if (!person && linkActor == null) {
                return Uni.createFrom().voidItem();
            }
            List<AuditEntry> entries = new java.util.ArrayList<>();
            for (String t : shown.isEmpty() ? java.util.Collections.singletonList(ticket) : shown) {
                entries.add(person
                        ? new AuditEntry(0, clock.instant(), identity.getPrincipal().getName(), roles(identity), action,
                                isUuid(t) ? t : null, status, client)
                        : new AuditEntry(0, clock.instant(), linkActor, linkMeans, action, isUuid(t) ? t : null, status,
                                client));
            }
            return Uni.createFrom().completionStage(() -> log.append(entries)).emitOn(back).replaceWithVoid()
                    .onFailure().recoverWithUni(e -> {
                failures.increment();
                LOG.errorf(e, "audit entry for %s not written", action);
                return Uni.createFrom().voidItem();
            });
        });
    }

    private String ticket(ContainerRequestContext request) {
        String named = trail.ticket();
        if (named != null) {
            return named;
        }
        var params = request.getUriInfo().getPathParameters();
        String ticket = params.getFirst("ticketId");
        if (ticket == null && request.getUriInfo().getPath().contains("/tickets/")) {
            ticket = params.getFirst("id");
        }
        return isUuid(ticket) ? ticket : null; // never store what a client typed where an id belongs
    }

    private static boolean isUuid(String s) {
        if (s == null) {
            return false;
        }
        try {
            java.util.UUID.fromString(s);
            return s.length() == 36;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String roles(SecurityIdentity identity) {
        return String.join(",", new TreeSet<>(identity.getRoles()));
    }

    /**
     * Each endpoint's template, worked out once: two annotation lookups and two regexes per request
     * were measurable. Kept by the filter's instance, not statically: a dev-mode reload drops it.
     */
    private final ConcurrentHashMap<List<Object>, String> templates = new ConcurrentHashMap<>();

    /** "POST /api/tickets/{id}/cancel": the template, not the ids, so actions group by kind. */
    private String template(ResourceInfo resource, ContainerRequestContext request) {
        Method m = resource == null ? null : resource.getResourceMethod();
        if (m == null) { // no endpoint matched: the raw path, with anything like a phone number masked
            return Mask.phonesIn("/" + request.getUriInfo().getPath().replaceFirst("^/", ""));
        }
        Class<?> type = resource.getResourceClass();
        return templates.computeIfAbsent(List.of(type, m), k -> {
            Path outer = type.getAnnotation(Path.class);
            Path own = m.getAnnotation(Path.class);
            String path = (outer == null ? "" : "/" + outer.value().replaceAll("^/|/$", ""))
                    + (own == null ? "" : "/" + own.value().replaceAll("^/|/$", ""));
            return path.isEmpty() ? "/" : path;
        });
    }
}

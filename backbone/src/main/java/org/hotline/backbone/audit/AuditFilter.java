package org.hotline.backbone.audit;

import java.lang.reflect.Method;
import java.time.Clock;
import java.util.Set;
import java.util.TreeSet;

import org.hotline.backbone.security.Mask;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;

/**
 * Records every action by a person: each non-read request with a verified token, whatever its
 * outcome, and every refusal (403) of a read. Requests without a verified person (401, and 413
 * refused before any endpoint) name no one and are not recorded. One filter for every endpoint of every service, so no
 * endpoint can forget it. The entry is written after the action's own transaction, before the
 * response leaves: a client that got its answer knows the entry exists. A failed write is logged and
 * counted ({@code audit_write_failures_total}); it does not undo the action.
 */
public class AuditFilter {

    private static final Logger LOG = Logger.getLogger(AuditFilter.class);
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

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
        if (READS.contains(method) && status != 403) {
            return Uni.createFrom().voidItem();
        }
        String action = method + " " + template(resource, request);
        String ticket = ticket(request);
        String client = http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
        String linkActor = trail.actor();
        String linkMeans = trail.means();
        // a token that failed verification (already answered 401) yields no identity: nothing to record
        return identities.getDeferredIdentity().onFailure().recoverWithNull().onItem().transformToUni(identity -> {
            boolean person = identity != null && !identity.isAnonymous();
            if (!person && linkActor == null) {
                return Uni.createFrom().voidItem();
            }
            AuditEntry entry = person
                    ? new AuditEntry(0, clock.instant(), identity.getPrincipal().getName(), roles(identity), action,
                            ticket, status, client)
                    : new AuditEntry(0, clock.instant(), linkActor, linkMeans, action, ticket, status, client);
            return Uni.createFrom().<Void> item(() -> {
                log.append(entry);
                return null;
            }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()).onFailure().recoverWithUni(e -> {
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

    /** "POST /api/tickets/{id}/cancel": the template, not the ids, so actions group by kind. */
    private static String template(ResourceInfo resource, ContainerRequestContext request) {
        Method m = resource == null ? null : resource.getResourceMethod();
        if (m == null) { // no endpoint matched: the raw path, with anything like a phone number masked
            return Mask.phonesIn("/" + request.getUriInfo().getPath().replaceFirst("^/", ""));
        }
        Path type = resource.getResourceClass().getAnnotation(Path.class);
        Path own = m.getAnnotation(Path.class);
        String path = (type == null ? "" : "/" + type.value().replaceAll("^/|/$", ""))
                + (own == null ? "" : "/" + own.value().replaceAll("^/|/$", ""));
        return path.isEmpty() ? "/" : path;
    }
}

package org.hotline.dispatch.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hotline.backbone.web.RequestBodies;
import org.hotline.dispatch.service.DevSignIn;

import com.fasterxml.jackson.core.JsonProcessingException;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * What the screens (served by this service under /console/, /field/, /supervisor/) need before
 * anyone signs in: where each service's API is, how people sign in (the identity provider through
 * OpenID Connect, or the local run's demo users) and the demo sign-in itself. Open without a token:
 * it tells nothing that is not in the page's own configuration, and the demo sign-in refuses unless
 * this deployment verifies tokens with the development key ({@link DevSignIn}).
 */
@Path("/api/ui")
@Tag(name = "Screens", description = "Configuration and the local run's demo sign-in for the browser screens")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class UiResource {

    private final DevSignIn dev;
    private final RequestBodies bodies;
    private final Map<String, String> apis;
    private final Optional<String> oidcAuthority;
    private final Optional<String> oidcClientId;
    private final String oidcScope;
    private final Optional<String> oidcLogout;
    private final String zone;

    public UiResource(DevSignIn dev, RequestBodies bodies,
            @ConfigProperty(name = "ui.intake-url", defaultValue = "http://127.0.0.1:8101") String intake,
            @ConfigProperty(name = "ui.dispatch-url", defaultValue = "") Optional<String> dispatch,
            @ConfigProperty(name = "ui.sla-url", defaultValue = "http://127.0.0.1:8103") String sla,
            @ConfigProperty(name = "ui.notification-url", defaultValue = "http://127.0.0.1:8104") String notification,
            @ConfigProperty(name = "ui.oidc.authority") Optional<String> oidcAuthority,
            @ConfigProperty(name = "ui.oidc.client-id") Optional<String> oidcClientId,
            @ConfigProperty(name = "ui.oidc.scope", defaultValue = "openid profile") String oidcScope,
            @ConfigProperty(name = "ui.oidc.post-logout-redirect") Optional<String> oidcLogout,
            org.hotline.backbone.config.BackboneConfig backbone) {
        this.dev = dev;
        this.bodies = bodies;
        this.apis = Map.of("intake", intake, "dispatch", dispatch.orElse(""), "sla", sla, "notification", notification);
        this.oidcAuthority = oidcAuthority;
        this.oidcClientId = oidcClientId;
        this.oidcScope = oidcScope;
        this.oidcLogout = oidcLogout;
        this.zone = backbone.timeZone().getId(); // hotline.time-zone: the zone of every local time
    }

    public record Oidc(String authority, String clientId, String scope, String postLogoutRedirect) {
    }

    public record DemoUserView(String user, String name, List<String> roles, Map<String, String> claims, String note) {
    }

    public record UiConfig(Map<String, String> apis, String zone, Oidc oidc, boolean devSignIn,
            List<DemoUserView> demoUsers) {
    }

    @GET
    @Path("/config")
    @Operation(summary = "The screens' configuration: API base URLs, time zone, sign-in (OIDC settings or the demo user list)")
    public Response config() {
        Oidc oidc = oidcAuthority.isPresent() && oidcClientId.isPresent()
                ? new Oidc(oidcAuthority.get(), oidcClientId.get(), oidcScope, oidcLogout.orElse(null))
                : null;
        List<DemoUserView> users = dev.enabled() ? DevSignIn.USERS.stream()
                .map(u -> new DemoUserView(u.user(), u.name(), u.roles(), u.claims(), u.note())).toList() : List.of();
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        return Response.ok(new UiConfig(apis, zone, oidc, dev.enabled(), users)).cacheControl(noStore).build();
    }

    public record DevTokenRequest(@NotBlank @Size(max = 64) String user) {
        static final DevTokenRequest EMPTY = new DevTokenRequest(null);
    }

    public record DevToken(String token, Instant expiresAt, String user, String name, List<String> roles) {
    }

    @POST
    @Path("/dev-token")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Local run only: a token for a demo user, signed with the development key",
            description = "404 unless ui.dev-login.enabled; 403 unless the services verify tokens with the development key "
                    + "(never with a production identity provider); 400 for a user not on the demo list.")
    public Response devToken(String body) throws JsonProcessingException {
        dev.requireEnabled(); // 404 before anything else when the demo sign-in is off
        DevTokenRequest request = bodies.optional(body, DevTokenRequest.class, DevTokenRequest.EMPTY);
        DevSignIn.Minted m = dev.mint(request.user());
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        return Response.ok(new DevToken(m.token(), m.expiresAt(), m.user().user(), m.user().name(), m.user().roles()))
                .cacheControl(noStore).build();
    }
}

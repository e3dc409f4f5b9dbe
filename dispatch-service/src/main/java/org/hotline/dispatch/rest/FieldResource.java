package org.hotline.dispatch.rest;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hotline.backbone.web.RequestBodies;
import org.hotline.backbone.audit.AuditTrail;
import org.hotline.backbone.security.Caller;
import org.hotline.backbone.security.Roles;
import org.hotline.backbone.security.SignedToken;
import org.hotline.backbone.web.ProblemException;
import org.hotline.dispatch.model.Assignment;
import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.model.ExtensionRequest;
import org.hotline.dispatch.service.DispatchLookup;
import org.hotline.dispatch.service.FieldService;

import com.fasterxml.jackson.core.JsonProcessingException;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * The field team's phone API (issue #7): the field role only, the acting member and his unit from
 * the token's {@code member} and {@code unit} claims. A member reads and acts on his own unit's
 * assignments only (another unit's by id: 403), and the roster must put him in that unit. The
 * one-tap link is the exception: its HMAC-signed token is the authentication. An action, its
 * checks and the view it answers with are one transaction (the ticket it locked is not read again).
 */
// created at start, so a missing production ack-link secret stops the service there (SignedToken.sharedSecret)
@io.quarkus.runtime.Startup
@Path("/api/field")
@Tag(name = "Field", description = "The field team's phone")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.FIELD)
public class FieldResource {

    private final FieldService field;
    private final DispatchLookup lookup;
    private final Clock clock;
    private final byte[] ackSecret;
    private final Caller caller;
    private final AuditTrail trail;
    private final RequestBodies bodies;

    public FieldResource(FieldService field, DispatchLookup lookup, Clock clock, Caller caller, AuditTrail trail,
            RequestBodies bodies,
            @ConfigProperty(name = "hotline.ack-token.secret", defaultValue = "dev-ack-secret-change-me") String ackSecret) {
        this.field = field;
        this.lookup = lookup;
        this.clock = clock;
        this.ackSecret = SignedToken.sharedSecret(ackSecret);
        this.caller = caller;
        this.trail = trail;
        this.bodies = bodies;
    }

    @GET
    @Path("/assignments")
    @Operation(summary = "The member's unit's assignments: open ones and returns awaiting the dispatcher (all=true: every one)")
    public List<AssignmentView> assignments(@QueryParam("all") boolean all) {
        return field.assignments(member(), unit(), all).stream()
                .map(this::view).toList();
    }

    @POST
    @Transactional
    @Path("/assignments/{id}/acknowledge")
    @Operation(summary = "Acknowledge (签收) the assignment")
    public AssignmentView acknowledge(@PathParam("id") UUID id) {
        String member = ownAssignment(id);
        return view(field.acknowledge(id, member));
    }

    public record ArriveRequest(@DecimalMin("-90") @DecimalMax("90") Double latitude,
            @DecimalMin("-180") @DecimalMax("180") Double longitude) {
        static final ArriveRequest NONE = new ArriveRequest(null, null);
    }

    /**
     * The body is optional (a phone may post nothing), so it is read as text whatever the content
     * type, then mapped and validated like any other body.
     */
    @POST
    @Transactional
    @Path("/assignments/{id}/arrive")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Report arrival on scene, optionally with coordinates {latitude, longitude}; far from the ticket's location is flagged")
    public AssignmentView arrive(@PathParam("id") UUID id,
            @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ArriveRequest.class))) String body)
            throws JsonProcessingException {
        String member = ownAssignment(id);
        ArriveRequest r = bodies.optional(body, ArriveRequest.class, ArriveRequest.NONE);
        return view(field.arrive(id, member, r.latitude(), r.longitude()));
    }

    public record ResolveRequest(@NotNull FieldService.Outcome outcome, @NotBlank @Size(max = 2000) String note) {
    }

    @POST
    @Transactional
    @Path("/assignments/{id}/resolve")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Report the result (办结): the lead's report ends RESOLVE")
    public AssignmentView resolve(@PathParam("id") UUID id,
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ResolveRequest.class))) String body)
            throws JsonProcessingException {
        ResolveRequest request = bodies.required(body, ResolveRequest.class); // before the scope check, as it always was
        String member = ownAssignment(id);
        return view(field.resolve(id, member, request.outcome(), request.note()));
    }

    public record ReturnRequest(@NotNull FieldService.ReturnReason reasonCode, @Size(max = 1000) String note) {
    }

    @POST
    @Transactional
    @Path("/assignments/{id}/return")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Return (退单) the order with a reason code; the dispatcher accepts or rejects")
    public AssignmentView returnAssignment(@PathParam("id") UUID id,
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ReturnRequest.class))) String body)
            throws JsonProcessingException {
        ReturnRequest request = bodies.required(body, ReturnRequest.class);
        String member = ownAssignment(id);
        return view(field.returnAssignment(id, member, request.reasonCode(), request.note()));
    }

    public record ExtensionBody(@Pattern(regexp = "RESPOND|DISPATCH_CONTACT|ON_SCENE|RESOLVE") String stage,
            @NotBlank @Size(max = 500) String reason, @NotNull Instant proposedDeadline) {
    }

    public record ExtensionCreated(UUID extensionId, UUID ticketId, String stage, Instant proposedDeadline,
            String status) {
    }

    @POST
    @Transactional
    @Path("/assignments/{id}/extensions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Request an extension (延期) of a stage (default RESOLVE) with reason and proposed deadline")
    public ExtensionCreated requestExtension(@PathParam("id") UUID id,
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ExtensionBody.class))) String body)
            throws JsonProcessingException {
        ExtensionBody request = bodies.required(body, ExtensionBody.class);
        String member = ownAssignment(id);
        ExtensionRequest e = field.requestExtension(id, member, request.stage() == null ? "RESOLVE" : request.stage(),
                request.reason(), request.proposedDeadline());
        return new ExtensionCreated(e.id, e.ticketId, e.stage, e.proposedDeadline, e.status.name());
    }

    // --- one-tap acknowledgement links (sent by notification-service) ---

    @GET
    @Path("/ack/{token}")
    @PermitAll
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Confirm page of a one-tap acknowledgement link: a button, so link previewers never acknowledge")
    public String ackPage(@PathParam("token") String token) {
        Map<String, String> claims = verify(token);
        Assignment a = lookup.assignment(UUID.fromString(claims.get("assignment")));
        trail.ticket(a.ticketId);
        DispatchTicket t = lookup.ticket(a.ticketId);
        return """
                <!doctype html><html lang="zh"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1"><title>签收派单</title></head>
                <body><h1>签收派单</h1><p>%s</p><p>%s</p><p>状态：%s</p>
                <form method="post"><button type="submit" style="font-size:1.5em">确认签收</button></form>
                </body></html>
                """.formatted(html(t.category), html(t.address), a.status);
    }

    @POST
    @Transactional
    @Path("/ack/{token}")
    @PermitAll
    @Operation(summary = "Acknowledge as the member the signed token names (401 bad or expired token, 409 no longer ackable)")
    public AssignmentView ackByToken(@PathParam("token") String token) {
        Map<String, String> claims = verify(token);
        UUID assignment = UUID.fromString(claims.get("assignment"));
        // no bearer token here: the audit log records the link's member, proven by the link's signature
        trail.actor(claims.get("member"), "signed-link");
        trail.ticket(lookup.assignmentScope(assignment).ticketId());
        return view(field.acknowledge(assignment, claims.get("member")));
    }

    private Map<String, String> verify(String token) {
        Map<String, String> claims;
        try {
            claims = SignedToken.verify(ackSecret, token, clock.instant());
        } catch (SignedToken.InvalidTokenException e) {
            throw new ProblemException(401, "Unauthorized", e.getMessage());
        }
        try {
            UUID.fromString(claims.get("assignment"));
        } catch (RuntimeException e) {
            throw new ProblemException(401, "Unauthorized", "token without an assignment");
        }
        if (claims.get("member") == null) {
            throw new ProblemException(401, "Unauthorized", "token without a member");
        }
        return claims;
    }

    /** The token's member; 403 if the token names no member and unit. */
    private String member() {
        if (caller.member().isEmpty() || caller.unit().isEmpty()) {
            throw ProblemException.forbidden("your token names no unit and member");
        }
        return caller.member().get();
    }

    private String unit() {
        member();
        return caller.unit().get();
    }

    /**
     * An action on an assignment: audited with its ticket, and only for a member of the
     * assignment's unit (another unit's assignment by id: 403). Returns the acting member.
     */
    private String ownAssignment(UUID assignmentId) {
        String member = member();
        // plain values, not the entity: the action reads the assignment after its ticket lock, and an
        // entity already in the transaction's session would be handed back as it was before the lock
        DispatchLookup.Scope a = lookup.assignmentScope(assignmentId);
        trail.ticket(a.ticketId());
        if (!caller.isOfUnit(a.unitId())) {
            throw ProblemException.forbidden("assignment " + assignmentId + " is not your unit's");
        }
        return member;
    }

    private static String html(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private AssignmentView view(Assignment a) {
        return AssignmentView.of(a, field.ticketOf(a));
    }
}

package org.hotline.dispatch.rest;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hotline.backbone.security.SignedToken;
import org.hotline.backbone.web.ProblemException;
import org.hotline.dispatch.model.Assignment;
import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.model.ExtensionRequest;
import org.hotline.dispatch.service.DispatchService;
import org.hotline.dispatch.service.FieldService;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** The field team's phone API. The acting member is the {@code X-Member-Id} header until issue #7 brings tokens. */
@Path("/api/field")
@Tag(name = "Field", description = "The field team's phone")
@Produces(MediaType.APPLICATION_JSON)
public class FieldResource {

    static final String MEMBER = "X-Member-Id";

    private final FieldService field;
    private final DispatchService dispatch;
    private final Clock clock;
    private final byte[] ackSecret;
    private final com.fasterxml.jackson.databind.ObjectMapper json;
    private final jakarta.validation.Validator validator;

    public FieldResource(FieldService field, DispatchService dispatch, Clock clock,
            com.fasterxml.jackson.databind.ObjectMapper json, jakarta.validation.Validator validator,
            @ConfigProperty(name = "hotline.ack-token.secret", defaultValue = "dev-ack-secret-change-me") String ackSecret) {
        this.field = field;
        this.dispatch = dispatch;
        this.clock = clock;
        this.ackSecret = ackSecret.getBytes(StandardCharsets.UTF_8);
        this.json = json;
        this.validator = validator;
    }

    @GET
    @Path("/assignments")
    @Operation(summary = "The member's unit's assignments: open ones and returns awaiting the dispatcher (all=true: every one)")
    public List<AssignmentView> assignments(@HeaderParam(MEMBER) String member, @QueryParam("all") boolean all) {
        return field.assignments(member, all).stream()
                .map(a -> AssignmentView.of(a, DispatchTicket.findById(a.ticketId))).toList();
    }

    @POST
    @Path("/assignments/{id}/acknowledge")
    @Operation(summary = "Acknowledge (签收) the assignment")
    public AssignmentView acknowledge(@PathParam("id") UUID id, @HeaderParam(MEMBER) String member) {
        return view(field.acknowledge(id, member));
    }

    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = false)
    public record ArriveRequest(@DecimalMin("-90") @DecimalMax("90") Double latitude,
            @DecimalMin("-180") @DecimalMax("180") Double longitude) {
    }

    /**
     * The body is optional (a phone may post nothing), so it is read as text whatever the content
     * type, then mapped and validated like any other body.
     */
    @POST
    @Path("/assignments/{id}/arrive")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Report arrival on scene, optionally with coordinates {latitude, longitude}; far from the ticket's location is flagged")
    public AssignmentView arrive(@PathParam("id") UUID id, @HeaderParam(MEMBER) String member, String body)
            throws com.fasterxml.jackson.core.JsonProcessingException {
        ArriveRequest r = body == null || body.isBlank() ? null : json.readValue(body, ArriveRequest.class);
        if (r == null) { // no body, or the JSON literal null: no coordinates
            r = new ArriveRequest(null, null);
        }
        var violations = validator.validate(r);
        if (!violations.isEmpty()) {
            throw new jakarta.validation.ConstraintViolationException(violations);
        }
        return view(field.arrive(id, member, r.latitude(), r.longitude()));
    }

    public record ResolveRequest(@NotNull FieldService.Outcome outcome, @NotBlank @Size(max = 2000) String note) {
    }

    @POST
    @Path("/assignments/{id}/resolve")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Report the result (办结): the lead's report ends RESOLVE")
    public AssignmentView resolve(@PathParam("id") UUID id, @HeaderParam(MEMBER) String member,
            @NotNull @Valid ResolveRequest request) {
        return view(field.resolve(id, member, request.outcome(), request.note()));
    }

    public record ReturnRequest(@NotNull FieldService.ReturnReason reasonCode, @Size(max = 1000) String note) {
    }

    @POST
    @Path("/assignments/{id}/return")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Return (退单) the order with a reason code; the dispatcher accepts or rejects")
    public AssignmentView giveBack(@PathParam("id") UUID id, @HeaderParam(MEMBER) String member,
            @NotNull @Valid ReturnRequest request) {
        return view(field.giveBack(id, member, request.reasonCode(), request.note()));
    }

    public record ExtensionBody(@Pattern(regexp = "RESPOND|DISPATCH_CONTACT|ON_SCENE|RESOLVE") String stage,
            @NotBlank @Size(max = 500) String reason, @NotNull Instant proposedDeadline) {
    }

    public record ExtensionCreated(UUID extensionId, UUID ticketId, String stage, Instant proposedDeadline,
            String status) {
    }

    @POST
    @Path("/assignments/{id}/extensions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Request an extension (延期) of a stage (default RESOLVE) with reason and proposed deadline")
    public ExtensionCreated requestExtension(@PathParam("id") UUID id, @HeaderParam(MEMBER) String member,
            @NotNull @Valid ExtensionBody request) {
        ExtensionRequest e = field.requestExtension(id, member, request.stage() == null ? "RESOLVE" : request.stage(),
                request.reason(), request.proposedDeadline());
        return new ExtensionCreated(e.id, e.ticketId, e.stage, e.proposedDeadline, e.status.name());
    }

    // --- one-tap acknowledgement links (sent by notification-service) ---

    @GET
    @Path("/ack/{token}")
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Confirm page of a one-tap acknowledgement link: a button, so link previewers never acknowledge")
    public String ackPage(@PathParam("token") String token) {
        Map<String, String> claims = verify(token);
        Assignment a = dispatch.assignment(UUID.fromString(claims.get("assignment")));
        DispatchTicket t = dispatch.ticket(a.ticketId);
        return """
                <!doctype html><html lang="zh"><head><meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1"><title>签收派单</title></head>
                <body><h1>签收派单</h1><p>%s</p><p>%s</p><p>状态：%s</p>
                <form method="post"><button type="submit" style="font-size:1.5em">确认签收</button></form>
                </body></html>
                """.formatted(html(t.category), html(t.address), a.status);
    }

    @POST
    @Path("/ack/{token}")
    @Operation(summary = "Acknowledge as the member the signed token names (401 bad or expired token, 409 no longer ackable)")
    public AssignmentView ackByToken(@PathParam("token") String token) {
        Map<String, String> claims = verify(token);
        return view(field.acknowledge(UUID.fromString(claims.get("assignment")), claims.get("member")));
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

    private static String html(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static AssignmentView view(Assignment a) {
        return AssignmentView.of(a, DispatchTicket.findById(a.ticketId));
    }
}

package org.hotline.dispatch.rest;

import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hotline.backbone.audit.AuditTrail;
import org.hotline.backbone.security.Caller;
import org.hotline.backbone.security.Roles;
import org.hotline.backbone.web.ProblemException;
import org.hotline.dispatch.model.Assignment;
import org.hotline.dispatch.model.AssignmentRole;
import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.model.Stage;
import org.hotline.dispatch.model.Unit;
import org.hotline.dispatch.service.DispatchService;
import org.hotline.dispatch.service.QueueBroadcaster;
import org.hotline.dispatch.service.QueueService;
import org.hotline.dispatch.service.Recommendation;
import org.hotline.dispatch.service.RecommendationService;
import org.jboss.resteasy.reactive.RestStreamElementType;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * The street command room's console. Who may (issue #7): dispatchers and supervisors act, each
 * within his street or area ({@link Caller#requireActOn} on the ticket's street; admin and monitoring read but never act); extension
 * decisions are a supervisor's. The acting person is the token's user, never a body field.
 */
@Path("/api")
@Tag(name = "Command room", description = "The street command room's console")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.DISPATCHER, Roles.SUPERVISOR })
public class DispatchResource {

    private final DispatchService dispatch;
    private final RecommendationService recommendations;
    private final QueueService queue;
    private final QueueBroadcaster broadcaster;
    private final Caller caller;
    private final AuditTrail trail;
    private final Bodies bodies;

    public DispatchResource(DispatchService dispatch, RecommendationService recommendations, QueueService queue,
            QueueBroadcaster broadcaster, Caller caller, AuditTrail trail, Bodies bodies) {
        this.dispatch = dispatch;
        this.recommendations = recommendations;
        this.queue = queue;
        this.broadcaster = broadcaster;
        this.caller = caller;
        this.trail = trail;
        this.bodies = bodies;
    }

    @GET
    @Path("/dispatch/tickets/{id}")
    @Operation(summary = "A ticket's stage, its assignments and extension requests")
    public DispatchTicketView ticket(@PathParam("id") UUID id) {
        return view(scoped(id));
    }

    /** The body of an action that needs none: nothing, {} or null (the actor is the token's user). */
    public record NoBody() {
        static final NoBody EMPTY = new NoBody();
    }

    @POST
    @Path("/dispatch/tickets/{id}/take")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Take the ticket (签收/受理): ends the RESPOND stage; no body")
    public DispatchTicketView take(@PathParam("id") UUID id, @RequestBody(required = false) String body)
            throws JsonProcessingException {
        mayAct(id);
        bodies.read(body, NoBody.class, NoBody.EMPTY);
        dispatch.take(id, caller.user());
        return view(id);
    }

    @POST
    @Path("/dispatch/tickets/{id}/caller-contacted")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Record that the caller was contacted: with the ticket dispatched, ends DISPATCH_CONTACT; no body")
    public DispatchTicketView callerContacted(@PathParam("id") UUID id, @RequestBody(required = false) String body)
            throws JsonProcessingException {
        mayAct(id);
        bodies.read(body, NoBody.class, NoBody.EMPTY);
        dispatch.callerContacted(id, caller.user());
        return view(id);
    }

    public record UnitOrderRequest(@NotBlank @Size(max = 64) String unitId, @NotNull AssignmentRole role) {
    }

    public record DispatchRequest(@NotEmpty @Size(max = 20) List<@NotNull @Valid UnitOrderRequest> units) {
        static final DispatchRequest EMPTY = new DispatchRequest(null);
    }

    @POST
    @Path("/dispatch/tickets/{id}/dispatch")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Dispatch (派单) to one unit, or to several: one lead (主办), the others assisting (协办)")
    public DispatchTicketView dispatch(@PathParam("id") UUID id,
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = DispatchRequest.class))) String body)
            throws JsonProcessingException {
        mayAct(id);
        DispatchRequest request = bodies.read(body, DispatchRequest.class, DispatchRequest.EMPTY);
        dispatch.dispatch(id, caller.user(), orders(request), false);
        return view(id);
    }

    @POST
    @Path("/dispatch/tickets/{id}/whistle")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Blow the whistle (吹哨): summon several departments at once; each must report in (acknowledge)")
    public WhistleView whistle(@PathParam("id") UUID id,
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = DispatchRequest.class))) String body)
            throws JsonProcessingException {
        mayAct(id);
        DispatchRequest request = bodies.read(body, DispatchRequest.class, DispatchRequest.EMPTY);
        List<Assignment> made = dispatch.dispatch(id, caller.user(), orders(request), true);
        UUID summon = made.get(0).summonId;
        return whistleViews(id).stream().filter(w -> w.summonId().equals(summon)).findFirst().orElseThrow();
    }

    /** One whistle and, per department, whether it reported in. */
    public record WhistleView(UUID summonId, Instant blownAt, String blownBy, boolean allReportedIn,
            List<Department> departments) {
        public record Department(String unitId, String unitName, String unitType, String role, String status,
                boolean reportedIn, Instant reportedInAt, String reportedInBy) {
        }
    }

    @GET
    @Path("/dispatch/tickets/{id}/whistle")
    @Operation(summary = "The ticket's whistles: which summoned departments reported in")
    public List<WhistleView> whistles(@PathParam("id") UUID id) {
        scoped(id);
        return whistleViews(id);
    }

    private List<WhistleView> whistleViews(UUID id) {
        Map<UUID, List<Assignment>> by = new LinkedHashMap<>();
        for (Assignment a : dispatch.assignments(id)) {
            if (a.summonId != null) {
                by.computeIfAbsent(a.summonId, k -> new java.util.ArrayList<>()).add(a);
            }
        }
        return by.entrySet().stream().map(e -> {
            List<WhistleView.Department> deps = e.getValue().stream().map(a -> {
                Unit u = dispatch.unit(a.unitId);
                return new WhistleView.Department(u.id, u.name, u.type.name(), a.role.name(), a.status.name(),
                        a.ackedAt != null, a.ackedAt, a.ackedBy);
            }).toList();
            Assignment first = e.getValue().get(0);
            return new WhistleView(e.getKey(), first.createdAt, first.createdBy,
                    deps.stream().allMatch(WhistleView.Department::reportedIn), deps);
        }).toList();
    }

    public record RedispatchRequest(@Size(max = 64) String unitId, @Size(max = 500) String reason) {
        static final RedispatchRequest EMPTY = new RedispatchRequest(null, null);
    }

    @POST
    @Path("/dispatch/tickets/{id}/redispatch")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Re-dispatch (转派): withdraw the lead, assign the named unit or the next recommendation; body optional")
    public DispatchTicketView redispatch(@PathParam("id") UUID id,
            @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = RedispatchRequest.class))) String body)
            throws JsonProcessingException {
        mayAct(id);
        RedispatchRequest request = bodies.read(body, RedispatchRequest.class, RedispatchRequest.EMPTY);
        dispatch.redispatch(id, caller.user(), request.unitId(), request.reason());
        return view(id);
    }

    @POST
    @Path("/dispatch/tickets/{id}/close")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Close the ticket after its lead reported the work done (办结); no body")
    public DispatchTicketView close(@PathParam("id") UUID id, @RequestBody(required = false) String body)
            throws JsonProcessingException {
        mayAct(id);
        bodies.read(body, NoBody.class, NoBody.EMPTY);
        dispatch.close(id, caller.user());
        return view(id);
    }

    public record ReturnDecision(@Size(max = 64) String unitId, @Size(max = 500) String note) {
        static final ReturnDecision EMPTY = new ReturnDecision(null, null);
    }

    @POST
    @Path("/dispatch/assignments/{id}/return/accept")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Accept a return (退单): a lead's ticket is re-dispatched (to unitId or the next recommendation); body optional")
    public DispatchTicketView acceptReturn(@PathParam("id") UUID id,
            @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ReturnDecision.class))) String body)
            throws JsonProcessingException {
        mayActOnAssignment(id);
        ReturnDecision request = bodies.read(body, ReturnDecision.class, ReturnDecision.EMPTY);
        return view(dispatch.acceptReturn(id, caller.user(), request.unitId(), request.note()).ticketId);
    }

    @POST
    @Path("/dispatch/assignments/{id}/return/reject")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Reject a return: the order goes back to the unit; body optional ({note})")
    public DispatchTicketView rejectReturn(@PathParam("id") UUID id,
            @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ReturnDecision.class))) String body)
            throws JsonProcessingException {
        mayActOnAssignment(id);
        ReturnDecision request = bodies.read(body, ReturnDecision.class, ReturnDecision.EMPTY);
        if (request.unitId() != null) {
            throw ProblemException.badRequest("unitId", "only for accepting a return");
        }
        return view(dispatch.rejectReturn(id, caller.user(), request.note()).ticketId);
    }

    public record ExtensionDecision(Instant newDeadline, @Size(max = 500) String note) {
        static final ExtensionDecision EMPTY = new ExtensionDecision(null, null);
    }

    @POST
    @Path("/dispatch/extensions/{id}/approve")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.SUPERVISOR)
    @Operation(summary = "Approve an extension (延期): extension.approved moves the stage's deadline; supervisor of the street or county; body optional")
    public DispatchTicketView approveExtension(@PathParam("id") UUID id,
            @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ExtensionDecision.class))) String body)
            throws JsonProcessingException {
        mayActOnExtension(id);
        ExtensionDecision request = bodies.read(body, ExtensionDecision.class, ExtensionDecision.EMPTY);
        return view(dispatch.approveExtension(id, caller.user(), request.newDeadline(), request.note()).ticketId);
    }

    @POST
    @Path("/dispatch/extensions/{id}/deny")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.SUPERVISOR)
    @Operation(summary = "Deny an extension; supervisor of the street or county; body optional ({note})")
    public DispatchTicketView denyExtension(@PathParam("id") UUID id,
            @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ExtensionDecision.class))) String body)
            throws JsonProcessingException {
        mayActOnExtension(id);
        ExtensionDecision request = bodies.read(body, ExtensionDecision.class, ExtensionDecision.EMPTY);
        if (request.newDeadline() != null) {
            throw ProblemException.badRequest("newDeadline", "only for approving");
        }
        return view(dispatch.denyExtension(id, caller.user(), request.note()).ticketId);
    }

    @GET
    @Path("/dispatch/tickets/{id}/recommendations")
    @Operation(summary = "Ranked units for a ticket, each with its reasons")
    public List<Recommendation> recommendations(@PathParam("id") UUID id) {
        return recommendations.recommend(scoped(id));
    }

    @GET
    @Path("/dispatch/queue")
    @RolesAllowed({ Roles.DISPATCHER, Roles.SUPERVISOR, Roles.MONITORING })
    @Operation(summary = "The street's queue by stage (NEW, TAKEN, DISPATCHED, ON_SCENE, RESOLVED), most urgent first",
            description = "street defaults to the reader's own (a dispatcher's street, a street supervisor's area); "
                    + "a county supervisor or monitoring without street gets every street. A street outside the "
                    + "reader's area is 403.")
    public List<QueueService.StageGroup> queue(@QueryParam("street") String street,
            @QueryParam("stage") List<String> stages) {
        Set<Stage> wanted = stages(stages);
        return queue.queue(caller.scopeStreet(street), wanted);
    }

    @GET
    @Path("/dispatch/queue/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Live queue changes of the street (Server-Sent Events): each changed ticket's queue item, with the event (type, time) that changed it",
            description = "street defaults to the reader's own; a county supervisor without street gets every "
                    + "street. A street outside the reader's area is 403.")
    public Multi<com.fasterxml.jackson.databind.node.ObjectNode> stream(@QueryParam("street") String street) {
        // ends when the token does: a revoked or expired login must not keep watching
        return broadcaster.stream(caller.scopeStreet(street)).select().first(caller.tokenValidity());
    }

    /** The ticket, once the caller's street or area covers it (403 otherwise, 404 if there is none). */
    private DispatchTicket scoped(UUID id) {
        DispatchTicket t = dispatch.ticket(id);
        caller.requireStreet(t.street);
        return t;
    }

    /**
     * Before an action on the ticket: the caller's street or area must cover it. Reads the street
     * only, so the view read after the action is not a stale copy from before it.
     */
    private void mayAct(UUID id) {
        caller.requireActOn(dispatch.ticketScope(id).street());
    }

    /** An assignment-level action: audited with, and scoped by, the assignment's ticket. */
    private void mayActOnAssignment(UUID assignmentId) {
        DispatchService.Scope s = dispatch.assignmentScope(assignmentId);
        trail.ticket(s.ticketId());
        caller.requireActOn(s.street());
    }

    /** An extension decision: audited with the ticket; the supervisor's area must cover its street. */
    private void mayActOnExtension(UUID extensionId) {
        DispatchService.Scope s = dispatch.extensionScope(extensionId);
        trail.ticket(s.ticketId());
        caller.requireActOn(s.street());
    }

    private DispatchTicketView view(UUID id) {
        return view(dispatch.ticket(id));
    }

    private DispatchTicketView view(DispatchTicket t) {
        return DispatchTicketView.of(t, dispatch.assignments(t.id), dispatch.extensions(t.id));
    }

    private static Set<Stage> stages(List<String> names) {
        if (names == null || names.isEmpty()) {
            return QueueService.QUEUE_STAGES;
        }
        Set<Stage> out = EnumSet.noneOf(Stage.class);
        for (String n : names) {
            for (String s : n.split(",")) {
                try {
                    Stage st = Stage.valueOf(s.trim());
                    if (!QueueService.QUEUE_STAGES.contains(st)) {
                        throw new IllegalArgumentException();
                    }
                    out.add(st);
                } catch (IllegalArgumentException e) {
                    throw ProblemException.badRequest("stage", "one of " + QueueService.QUEUE_STAGES);
                }
            }
        }
        return out;
    }

    private static List<DispatchService.UnitOrder> orders(DispatchRequest request) {
        return request.units().stream().map(u -> new DispatchService.UnitOrder(u.unitId(), u.role())).toList();
    }
}

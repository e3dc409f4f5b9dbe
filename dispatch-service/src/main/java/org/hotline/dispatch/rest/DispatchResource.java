package org.hotline.dispatch.rest;

import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hotline.backbone.web.RequestBodies;
import org.hotline.backbone.audit.AuditTrail;
import org.hotline.backbone.security.Caller;
import org.hotline.backbone.security.Roles;
import org.hotline.backbone.web.ProblemException;
import org.hotline.dispatch.model.Assignment;
import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.service.CommandRoomService;
import org.hotline.dispatch.service.DispatchLookup;
import org.hotline.dispatch.service.ExtensionService;
import org.hotline.dispatch.service.Recommendation;
import org.hotline.dispatch.service.RecommendationService;
import org.hotline.dispatch.service.ReturnService;
import org.hotline.dispatch.rest.CommandRoomRequests.DispatchRequest;
import org.hotline.dispatch.rest.CommandRoomRequests.ExtensionDecision;
import org.hotline.dispatch.rest.CommandRoomRequests.NoBody;
import org.hotline.dispatch.rest.CommandRoomRequests.RedispatchRequest;
import org.hotline.dispatch.rest.CommandRoomRequests.ReturnDecision;

import com.fasterxml.jackson.core.JsonProcessingException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * The street command room's console. Who may (issue #7): dispatchers and supervisors act, each
 * within his street or area ({@link Caller#requireActOn} on the ticket's street; admin and monitoring read but never act); extension
 * decisions are a supervisor's. The acting person is the token's user, never a body field. An
 * action, its scope check and the view it answers with are one transaction: the view is what the
 * action left, read in its session (the ticket it locked is not read again).
 */
@Path("/api")
@Tag(name = "Command room", description = "The street command room's console")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.DISPATCHER, Roles.SUPERVISOR })
public class DispatchResource {

    private final DispatchLookup lookup;
    private final CommandRoomService commandRoom;
    private final ReturnService returns;
    private final ExtensionService extensions;
    private final RecommendationService recommendations;
    private final Caller caller;
    private final AuditTrail trail;
    private final RequestBodies bodies;

    public DispatchResource(DispatchLookup lookup, CommandRoomService commandRoom, ReturnService returns,
            ExtensionService extensions, RecommendationService recommendations, Caller caller, AuditTrail trail,
            RequestBodies bodies) {
        this.lookup = lookup;
        this.commandRoom = commandRoom;
        this.returns = returns;
        this.extensions = extensions;
        this.recommendations = recommendations;
        this.caller = caller;
        this.trail = trail;
        this.bodies = bodies;
    }

    @GET
    @Path("/dispatch/tickets/{id}")
    @Operation(summary = "A ticket's stage, its assignments and extension requests")
    public DispatchTicketView ticket(@PathParam("id") UUID id) {
        scoped(id);
        return view(id);
    }

    @POST
    @Transactional
    @Path("/dispatch/tickets/{id}/take")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Take the ticket (签收/受理): ends the RESPOND stage; no body")
    public DispatchTicketView take(@PathParam("id") UUID id, @RequestBody(required = false) String body)
            throws JsonProcessingException {
        mayAct(id);
        bodies.optional(body, NoBody.class, NoBody.EMPTY);
        commandRoom.take(id, caller.user());
        return view(id);
    }

    @POST
    @Transactional
    @Path("/dispatch/tickets/{id}/caller-contacted")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Record that the caller was contacted: with the ticket dispatched, ends DISPATCH_CONTACT; no body")
    public DispatchTicketView callerContacted(@PathParam("id") UUID id, @RequestBody(required = false) String body)
            throws JsonProcessingException {
        mayAct(id);
        bodies.optional(body, NoBody.class, NoBody.EMPTY);
        commandRoom.callerContacted(id, caller.user());
        return view(id);
    }

    @POST
    @Transactional
    @Path("/dispatch/tickets/{id}/dispatch")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Dispatch (派单) to one unit, or to several: one lead (主办), the others assisting (协办)")
    public DispatchTicketView dispatch(@PathParam("id") UUID id,
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = DispatchRequest.class))) String body)
            throws JsonProcessingException {
        mayAct(id);
        DispatchRequest request = bodies.optional(body, DispatchRequest.class, DispatchRequest.EMPTY);
        commandRoom.dispatch(id, caller.user(), orders(request), false);
        return view(id);
    }

    @POST
    @Transactional
    @Path("/dispatch/tickets/{id}/whistle")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Blow the whistle (吹哨): summon several departments at once; each must report in (acknowledge)")
    public WhistleView whistle(@PathParam("id") UUID id,
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = DispatchRequest.class))) String body)
            throws JsonProcessingException {
        mayAct(id);
        DispatchRequest request = bodies.optional(body, DispatchRequest.class, DispatchRequest.EMPTY);
        List<Assignment> made = commandRoom.dispatch(id, caller.user(), orders(request), true);
        UUID summon = made.get(0).summonId;
        return lookup.whistles(id).stream().filter(w -> w.summonId().equals(summon)).map(WhistleView::of).findFirst()
                .orElseThrow();
    }

    @GET
    @Path("/dispatch/tickets/{id}/whistle")
    @Operation(summary = "The ticket's whistles: which summoned departments reported in")
    public List<WhistleView> whistles(@PathParam("id") UUID id) {
        scoped(id);
        return lookup.whistles(id).stream().map(WhistleView::of).toList();
    }

    @POST
    @Transactional
    @Path("/dispatch/tickets/{id}/redispatch")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Re-dispatch (转派): withdraw the lead, assign the named unit or the next recommendation; body optional")
    public DispatchTicketView redispatch(@PathParam("id") UUID id,
            @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = RedispatchRequest.class))) String body)
            throws JsonProcessingException {
        mayAct(id);
        RedispatchRequest request = bodies.optional(body, RedispatchRequest.class, RedispatchRequest.EMPTY);
        commandRoom.redispatch(id, caller.user(), request.unitId(), request.reason());
        return view(id);
    }

    @POST
    @Transactional
    @Path("/dispatch/tickets/{id}/close")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Close the ticket after its lead reported the work done (办结); no body")
    public DispatchTicketView close(@PathParam("id") UUID id, @RequestBody(required = false) String body)
            throws JsonProcessingException {
        mayAct(id);
        bodies.optional(body, NoBody.class, NoBody.EMPTY);
        commandRoom.close(id, caller.user());
        return view(id);
    }

    @POST
    @Transactional
    @Path("/dispatch/assignments/{id}/return/accept")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Accept a return (退单): a lead's ticket is re-dispatched (to unitId or the next recommendation); body optional")
    public DispatchTicketView acceptReturn(@PathParam("id") UUID id,
            @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ReturnDecision.class))) String body)
            throws JsonProcessingException {
        mayActOnAssignment(id);
        ReturnDecision request = bodies.optional(body, ReturnDecision.class, ReturnDecision.EMPTY);
        return view(returns.acceptReturn(id, caller.user(), request.unitId(), request.note()).ticketId);
    }

    @POST
    @Transactional
    @Path("/dispatch/assignments/{id}/return/reject")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Reject a return: the order goes back to the unit; body optional ({note})")
    public DispatchTicketView rejectReturn(@PathParam("id") UUID id,
            @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ReturnDecision.class))) String body)
            throws JsonProcessingException {
        mayActOnAssignment(id);
        ReturnDecision request = bodies.optional(body, ReturnDecision.class, ReturnDecision.EMPTY);
        if (request.unitId() != null) {
            throw ProblemException.badRequest("unitId", "only for accepting a return");
        }
        return view(returns.rejectReturn(id, caller.user(), request.note()).ticketId);
    }

    @POST
    @Transactional
    @Path("/dispatch/extensions/{id}/approve")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.SUPERVISOR)
    @Operation(summary = "Approve an extension (延期): extension.approved moves the stage's deadline; supervisor of the street or county; body optional")
    public DispatchTicketView approveExtension(@PathParam("id") UUID id,
            @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ExtensionDecision.class))) String body)
            throws JsonProcessingException {
        mayActOnExtension(id);
        ExtensionDecision request = bodies.optional(body, ExtensionDecision.class, ExtensionDecision.EMPTY);
        return view(extensions.approveExtension(id, caller.user(), request.newDeadline(), request.note()).ticketId);
    }

    @POST
    @Transactional
    @Path("/dispatch/extensions/{id}/deny")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.SUPERVISOR)
    @Operation(summary = "Deny an extension; supervisor of the street or county; body optional ({note})")
    public DispatchTicketView denyExtension(@PathParam("id") UUID id,
            @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ExtensionDecision.class))) String body)
            throws JsonProcessingException {
        mayActOnExtension(id);
        ExtensionDecision request = bodies.optional(body, ExtensionDecision.class, ExtensionDecision.EMPTY);
        if (request.newDeadline() != null) {
            throw ProblemException.badRequest("newDeadline", "only for approving");
        }
        return view(extensions.denyExtension(id, caller.user(), request.note()).ticketId);
    }

    @GET
    @Path("/dispatch/tickets/{id}/recommendations")
    @Operation(summary = "Ranked units for a ticket, each with its reasons")
    public List<Recommendation> recommendations(@PathParam("id") UUID id) {
        return recommendations.recommend(scoped(id));
    }

    /** The ticket, once the caller's street or area covers it (403 otherwise, 404 if there is none). */
    private DispatchTicket scoped(UUID id) {
        DispatchTicket t = lookup.ticket(id);
        caller.requireStreet(t.street);
        return t;
    }

    /**
     * Before an action on the ticket: the caller's street or area must cover it. The ticket is
     * locked here, first, as every action locks it: the action's own lock then finds it locked in
     * the transaction's session and sends nothing, and what it reads is what the lock found. (A
     * refused caller, or a body refused after this, holds the lock only until the rollback.)
     */
    private void mayAct(UUID id) {
        caller.requireActOn(lookup.lockTicket(id).street);
    }

    /** An assignment-level action: audited with, and scoped by, the assignment's ticket. */
    private void mayActOnAssignment(UUID assignmentId) {
        DispatchLookup.Scope s = lookup.assignmentScope(assignmentId);
        trail.ticket(s.ticketId());
        caller.requireActOn(s.street());
    }

    /** An extension decision: audited with the ticket; the supervisor's area must cover its street. */
    private void mayActOnExtension(UUID extensionId) {
        DispatchLookup.Scope s = lookup.extensionScope(extensionId);
        trail.ticket(s.ticketId());
        caller.requireActOn(s.street());
    }

    private DispatchTicketView view(UUID id) {
        return DispatchTicketView.of(lookup.file(id));
    }

    private static List<CommandRoomService.UnitOrder> orders(DispatchRequest request) {
        return request.units().stream().map(u -> new CommandRoomService.UnitOrder(u.unitId(), u.role())).toList();
    }
}

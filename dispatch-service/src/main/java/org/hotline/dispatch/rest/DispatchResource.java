package org.hotline.dispatch.rest;

import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hotline.backbone.web.ProblemException;
import org.hotline.dispatch.model.Assignment;
import org.hotline.dispatch.model.AssignmentRole;
import org.hotline.dispatch.model.Stage;
import org.hotline.dispatch.model.Unit;
import org.hotline.dispatch.service.DispatchService;
import org.hotline.dispatch.service.QueueBroadcaster;
import org.hotline.dispatch.service.QueueService;
import org.hotline.dispatch.service.Recommendation;
import org.hotline.dispatch.service.RecommendationService;
import org.jboss.resteasy.reactive.RestStreamElementType;

import io.smallrye.mutiny.Multi;
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

@Path("/api")
@Tag(name = "Command room", description = "The street command room's console")
@Produces(MediaType.APPLICATION_JSON)
public class DispatchResource {

    private final DispatchService dispatch;
    private final RecommendationService recommendations;
    private final QueueService queue;
    private final QueueBroadcaster broadcaster;

    public DispatchResource(DispatchService dispatch, RecommendationService recommendations, QueueService queue,
            QueueBroadcaster broadcaster) {
        this.dispatch = dispatch;
        this.recommendations = recommendations;
        this.queue = queue;
        this.broadcaster = broadcaster;
    }

    @GET
    @Path("/dispatch/tickets/{id}")
    @Operation(summary = "A ticket's stage, its assignments and extension requests")
    public DispatchTicketView ticket(@PathParam("id") UUID id) {
        return DispatchTicketView.of(dispatch.ticket(id), dispatch.assignments(id), dispatch.extensions(id));
    }

    /** Who acts, until tokens carry it (issue #7). */
    public record ActorRequest(@NotBlank @Size(max = 64) String dispatcher) {
    }

    @POST
    @Path("/dispatch/tickets/{id}/take")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Take the ticket (签收/受理): ends the RESPOND stage")
    public DispatchTicketView take(@PathParam("id") UUID id, @NotNull @Valid ActorRequest request) {
        dispatch.take(id, request.dispatcher());
        return ticket(id);
    }

    @POST
    @Path("/dispatch/tickets/{id}/caller-contacted")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Record that the caller was contacted: with the ticket dispatched, ends DISPATCH_CONTACT")
    public DispatchTicketView callerContacted(@PathParam("id") UUID id, @NotNull @Valid ActorRequest request) {
        dispatch.callerContacted(id, request.dispatcher());
        return ticket(id);
    }

    public record UnitOrderRequest(@NotBlank @Size(max = 64) String unitId, @NotNull AssignmentRole role) {
    }

    public record DispatchRequest(@NotBlank @Size(max = 64) String dispatcher,
            @NotEmpty @Size(max = 20) List<@NotNull @Valid UnitOrderRequest> units) {
    }

    @POST
    @Path("/dispatch/tickets/{id}/dispatch")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Dispatch (派单) to one unit, or to several: one lead (主办), the others assisting (协办)")
    public DispatchTicketView dispatch(@PathParam("id") UUID id, @NotNull @Valid DispatchRequest request) {
        dispatch.dispatch(id, request.dispatcher(), orders(request), false);
        return ticket(id);
    }

    @POST
    @Path("/dispatch/tickets/{id}/whistle")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Blow the whistle (吹哨): summon several departments at once; each must report in (acknowledge)")
    public WhistleView whistle(@PathParam("id") UUID id, @NotNull @Valid DispatchRequest request) {
        List<Assignment> made = dispatch.dispatch(id, request.dispatcher(), orders(request), true);
        UUID summon = made.get(0).summonId;
        return whistles(id).stream().filter(w -> w.summonId().equals(summon)).findFirst().orElseThrow();
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
        dispatch.ticket(id);
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

    public record RedispatchRequest(@NotBlank @Size(max = 64) String dispatcher, @Size(max = 64) String unitId,
            @Size(max = 500) String reason) {
    }

    @POST
    @Path("/dispatch/tickets/{id}/redispatch")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Re-dispatch (转派): withdraw the lead, assign the named unit or the next recommendation")
    public DispatchTicketView redispatch(@PathParam("id") UUID id, @NotNull @Valid RedispatchRequest request) {
        dispatch.redispatch(id, request.dispatcher(), request.unitId(), request.reason());
        return ticket(id);
    }

    @POST
    @Path("/dispatch/tickets/{id}/close")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Close the ticket after its lead reported the work done (办结)")
    public DispatchTicketView close(@PathParam("id") UUID id, @NotNull @Valid ActorRequest request) {
        dispatch.close(id, request.dispatcher());
        return ticket(id);
    }

    public record ReturnDecision(@NotBlank @Size(max = 64) String dispatcher, @Size(max = 64) String unitId,
            @Size(max = 500) String note) {
    }

    @POST
    @Path("/dispatch/assignments/{id}/return/accept")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Accept a return (退单): a lead's ticket is re-dispatched (to unitId or the next recommendation)")
    public DispatchTicketView acceptReturn(@PathParam("id") UUID id, @NotNull @Valid ReturnDecision request) {
        return ticket(dispatch.acceptReturn(id, request.dispatcher(), request.unitId(), request.note()).ticketId);
    }

    @POST
    @Path("/dispatch/assignments/{id}/return/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Reject a return: the order goes back to the unit")
    public DispatchTicketView rejectReturn(@PathParam("id") UUID id, @NotNull @Valid ReturnDecision request) {
        if (request.unitId() != null) {
            throw ProblemException.badRequest("unitId", "only for accepting a return");
        }
        return ticket(dispatch.rejectReturn(id, request.dispatcher(), request.note()).ticketId);
    }

    public record ExtensionDecision(@NotBlank @Size(max = 64) String supervisor, Instant newDeadline,
            @Size(max = 500) String note) {
    }

    @POST
    @Path("/dispatch/extensions/{id}/approve")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Approve an extension (延期): extension.approved moves the stage's deadline")
    public DispatchTicketView approveExtension(@PathParam("id") UUID id, @NotNull @Valid ExtensionDecision request) {
        return ticket(dispatch.approveExtension(id, request.supervisor(), request.newDeadline(), request.note()).ticketId);
    }

    @POST
    @Path("/dispatch/extensions/{id}/deny")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Deny an extension")
    public DispatchTicketView denyExtension(@PathParam("id") UUID id, @NotNull @Valid ExtensionDecision request) {
        if (request.newDeadline() != null) {
            throw ProblemException.badRequest("newDeadline", "only for approving");
        }
        return ticket(dispatch.denyExtension(id, request.supervisor(), request.note()).ticketId);
    }

    @GET
    @Path("/dispatch/tickets/{id}/recommendations")
    @Operation(summary = "Ranked units for a ticket, each with its reasons")
    public List<Recommendation> recommendations(@PathParam("id") UUID id) {
        return recommendations.recommend(dispatch.ticket(id));
    }

    @GET
    @Path("/dispatch/queue")
    @Operation(summary = "The street's queue by stage (NEW, TAKEN, DISPATCHED, ON_SCENE, RESOLVED), most urgent first")
    public List<QueueService.StageGroup> queue(@QueryParam("street") String street,
            @QueryParam("stage") List<String> stages) {
        return queue.queue(requireStreet(street), stages(stages));
    }

    @GET
    @Path("/dispatch/queue/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Live queue changes of the street (Server-Sent Events): each changed ticket's queue item")
    public Multi<QueueService.QueueItem> stream(@QueryParam("street") String street) {
        return broadcaster.stream(requireStreet(street));
    }

    private static String requireStreet(String street) {
        if (street == null || street.isBlank()) {
            throw ProblemException.badRequest("street", "required");
        }
        return street;
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

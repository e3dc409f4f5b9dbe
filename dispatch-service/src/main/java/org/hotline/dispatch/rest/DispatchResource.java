package org.hotline.dispatch.rest;

import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hotline.dispatch.model.Unit;
import org.hotline.dispatch.service.DispatchService;
import org.hotline.dispatch.service.Recommendation;
import org.hotline.dispatch.service.RecommendationService;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
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

    public DispatchResource(DispatchService dispatch, RecommendationService recommendations) {
        this.dispatch = dispatch;
        this.recommendations = recommendations;
    }

    @GET
    @Path("/dispatch/tickets/{id}")
    @Operation(summary = "A ticket's stage and its assignments")
    public DispatchTicketView ticket(@PathParam("id") UUID id) {
        return DispatchTicketView.of(dispatch.ticket(id), dispatch.assignments(id));
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

    @GET
    @Path("/dispatch/tickets/{id}/recommendations")
    @Operation(summary = "Ranked units for a ticket, each with its reasons")
    public List<Recommendation> recommendations(@PathParam("id") UUID id) {
        return recommendations.recommend(dispatch.ticket(id));
    }

    @GET
    @Path("/units")
    @Operation(summary = "Units, optionally of one street")
    public List<Unit> units(@QueryParam("street") String street) {
        return street == null ? Unit.list("order by id") : Unit.list("street = ?1 order by id", street);
    }
}

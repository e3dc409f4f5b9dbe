package org.hotline.intake.rest;

import java.net.URI;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hotline.intake.service.TicketService;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/tickets")
@Tag(name = "Tickets", description = "Operator desk: post and look up tickets")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TicketResource {

    private final TicketService tickets;

    public TicketResource(TicketService tickets) {
        this.tickets = tickets;
    }

    @POST
    @Operation(summary = "Receive a ticket on a caller's behalf")
    public Response create(@NotNull @Valid CreateTicketRequest request) {
        TicketView created = TicketView.of(tickets.receive(request));
        return Response.created(URI.create("/api/tickets/" + created.id())).entity(created).build();
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Cancel a ticket with a reason; every clock stops")
    public TicketView cancel(@PathParam("id") UUID id, @NotNull @Valid CancelRequest request) {
        return TicketView.of(tickets.cancel(id, request.reason()));
    }

    @POST
    @Path("/{id}/follow-up")
    @Operation(summary = "Record the follow-up call (回访); a dissatisfied caller reopens the ticket")
    public Response followUp(@PathParam("id") UUID id, @NotNull @Valid FollowUpRequest request) {
        tickets.followUp(id, request.reached(), request.satisfaction(), request.comment());
        return Response.ok(TicketView.of(tickets.get(id))).build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One ticket")
    public TicketView get(@PathParam("id") UUID id) {
        return TicketView.of(tickets.get(id));
    }
}

package org.hotline.intake.rest;

import static org.hotline.intake.rest.QueryParameters.enumOf;
import static org.hotline.intake.rest.QueryParameters.instant;
import static org.hotline.intake.rest.QueryParameters.integer;
import static org.hotline.intake.rest.QueryParameters.text;

import java.net.URI;
import java.time.Instant;
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
import org.hotline.intake.model.CreateTicketRequest;
import org.hotline.intake.model.ReceiveResult;
import org.hotline.intake.model.Source;
import org.hotline.intake.model.Ticket;
import org.hotline.intake.model.TicketFilter;
import org.hotline.intake.model.TicketMatches;
import org.hotline.intake.model.TicketStatus;
import org.hotline.intake.service.CreateRateLimit;
import org.hotline.intake.service.IdempotencyService;
import org.hotline.intake.service.TicketIntake;
import org.hotline.intake.service.TicketLookup;
import org.hotline.intake.service.TicketService;

import com.fasterxml.jackson.core.JsonProcessingException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/tickets")
@Tag(name = "Tickets", description = "Operator desk: post, look up, search, cancel, follow up tickets")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
// reads: operators (every street), dispatchers and supervisors (their street or area, checked per call)
@RolesAllowed({ Roles.OPERATOR, Roles.DISPATCHER, Roles.SUPERVISOR })
public class TicketResource {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final TicketIntake intake;
    private final TicketService tickets;
    private final TicketLookup lookup;
    private final IdempotencyService idempotency;
    private final CreateRateLimit rateLimit;
    private final RequestBodies bodies;
    private final TicketViews views;
    private final Caller caller;
    private final AuditTrail audit;

    public TicketResource(TicketIntake intake, TicketService tickets, TicketLookup lookup,
            IdempotencyService idempotency, CreateRateLimit rateLimit, RequestBodies bodies, TicketViews views,
            Caller caller, AuditTrail audit) {
        this.intake = intake;
        this.tickets = tickets;
        this.lookup = lookup;
        this.idempotency = idempotency;
        this.rateLimit = rateLimit;
        this.bodies = bodies;
        this.views = views;
        this.caller = caller;
        this.audit = audit;
    }

    @POST
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Receive a report on a caller's behalf",
            description = "201 with the new ticket; 200 with the same ticket when the Idempotency-Key (24 h) or"
                    + " upstreamRef was seen before; 200 with {outcome: REPEAT, repeatOf, repeatId, repeatCount,"
                    + " matchedBy, ticket} when the report is a repeat (重复件) of an open ticket; 429 with"
                    + " Retry-After over the per-user rate limit")
    public Response create(@HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
            @RequestBody(content = @Content(schema = @Schema(implementation = CreateTicketRequest.class))) String body)
            throws JsonProcessingException {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 128
                || !idempotencyKey.matches("[\\x21-\\x7e]+"))) {
            throw ProblemException.badRequest(IDEMPOTENCY_KEY, "must be 1 to 128 printable ASCII characters");
        }
        // refused before any work; a retry that only replays an earlier result is not a new ticket
        if (idempotencyKey == null || !idempotency.replays(idempotencyKey)) {
            rateLimit.acquire(caller.user());
        }
        ReceiveResult result = intake.receive(bodies.mapped(body, CreateTicketRequest.class), idempotencyKey, "rest");
        audit.ticket(result.ticket().id); // a repeat touches the original ticket
        TicketView ticket = views.of(result.ticket());
        if (result.kind() == ReceiveResult.Kind.REPEAT) {
            return Response.ok(new RepeatOutcome("REPEAT", result.ticket().id, result.repeat().id,
                    result.ticket().repeatCount, result.repeat().matchedBy, ticket))
                    .location(URI.create("/api/tickets/" + ticket.id())).build();
        }
        return (result.replay() ? Response.ok(ticket).header("Idempotent-Replayed", "true")
                : Response.created(URI.create("/api/tickets/" + ticket.id())).entity(ticket)).build();
    }

    @GET
    @Operation(summary = "Search tickets, newest first (by receipt), paged",
            description = "from/to: ISO-8601 instants bounding receivedAt (from inclusive, to exclusive). A dispatcher"
                    + " or a street's supervisor searches his own street (no street filter: it is implied; another"
                    + " street: 403); operators and county supervisors every street")
    public Page<TicketView> search(@QueryParam("status") String status, @QueryParam("street") String street,
            @QueryParam("category") String category, @QueryParam("source") String source,
            @QueryParam("callerPhone") String callerPhone, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("page") String page, @QueryParam("size") String size) {
        Instant fromAt = instant("from", from);
        Instant toAt = instant("to", to);
        if (fromAt != null && toAt != null && !fromAt.isBefore(toAt)) {
            throw ProblemException.badRequest("to", "must be after from");
        }
        int p = integer("page", page, 0, 0, 100_000);
        int s = integer("size", size, 20, 1, 100);
        String phone = text("callerPhone", callerPhone);
        if (phone != null && !caller.has(Roles.OPERATOR) && !caller.has(Roles.DISPATCHER)) {
            // whoever sees callers masked must not recover a number by guessing it in a search
            throw ProblemException.forbidden("searching by caller phone is for operators and dispatchers");
        }
        if (phone != null) {
            phone = phone.replace("-", "");
            if (!phone.matches("\\d{7,12}")) {
                throw ProblemException.badRequest("callerPhone", "must be a phone number (digits, optional '-')");
            }
        }
        TicketFilter filter = new TicketFilter(enumOf("status", status, TicketStatus.class),
                scoped(text("street", street)), text("category", category), enumOf("source", source, Source.class),
                phone, fromAt, toAt);
        TicketMatches found = lookup.search(filter, p, s);
        return new Page<>(found.items().stream().map(views::of).toList(), p, s, found.total());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One ticket with its history (every change, in order), repeats and follow-up calls")
    public TicketView get(@PathParam("id") UUID id) {
        Ticket t = readable(id);
        return views.details(t, lookup.history(id), lookup.repeats(id), lookup.followUps(id));
    }

    @POST
    @Path("/{id}/cancel")
    @RolesAllowed({ Roles.OPERATOR, Roles.SUPERVISOR })
    @Operation(summary = "Cancel a ticket with a reason; every clock stops",
            description = "operators; supervisors within their area")
    public TicketView cancel(@PathParam("id") UUID id,
            @RequestBody(content = @Content(schema = @Schema(implementation = CancelRequest.class))) String body)
            throws JsonProcessingException {
        CancelRequest request = bodies.required(body, CancelRequest.class);
        readable(id);
        return views.of(tickets.cancel(id, request.reason()));
    }

    @POST
    @Path("/{id}/follow-up")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Record the follow-up call (回访); a dissatisfied caller reopens the ticket")
    public Response followUp(@PathParam("id") UUID id,
            @RequestBody(content = @Content(schema = @Schema(implementation = FollowUpRequest.class))) String body)
            throws JsonProcessingException {
        FollowUpRequest request = bodies.required(body, FollowUpRequest.class);
        tickets.followUp(id, request.reached(), request.satisfaction(), request.comment());
        return Response.ok(views.of(lookup.get(id))).build();
    }

    @POST
    @Path("/{id}/repeats/{repeatId}/override")
    @RolesAllowed({ Roles.OPERATOR, Roles.SUPERVISOR })
    @Operation(summary = "Not a repeat: the report becomes a ticket of its own (id = repeatId)",
            description = "Publishes ticket.repeat-overridden for the original and ticket.received for the new ticket."
                    + " Operators; supervisors within their area (the original ticket's street)")
    public Response overrideRepeat(@PathParam("id") UUID id, @PathParam("repeatId") UUID repeatId,
            @RequestBody(content = @Content(schema = @Schema(implementation = OverrideRequest.class))) String body)
            throws JsonProcessingException {
        OverrideRequest request = bodies.required(body, OverrideRequest.class);
        readable(id);
        if (!caller.has(Roles.OPERATOR)) { // the new ticket lands in the repeat's street: it must be his too
            lookup.repeats(id).stream().filter(r -> r.id.equals(repeatId)).findFirst()
                    .ifPresent(r -> caller.requireActOn(r.street));
        }
        TicketView created = views.of(tickets.overrideRepeat(id, repeatId, request.reason(), caller.user()));
        return Response.created(URI.create("/api/tickets/" + created.id())).entity(created).build();
    }

    /**
     * The ticket, if this caller may work on it: operators any; dispatchers and supervisors only
     * within their street or area (403 otherwise; the street never changes, so checking before the
     * change's own transaction is safe).
     */
    private Ticket readable(UUID id) {
        Ticket t = lookup.get(id);
        if (!caller.has(Roles.OPERATOR)) { // admin and monitoring have no part in intake: no read-everywhere
            caller.requireActOn(t.street);
        }
        return t;
    }

    /** Operators search the whole hotline; everyone else within his street or area (Caller's rule). */
    private String scoped(String street) {
        return caller.has(Roles.OPERATOR) ? street : caller.scopeStreet(street);
    }
}

package org.hotline.intake.rest;

import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hotline.backbone.web.ProblemException;
import org.hotline.intake.model.Source;
import org.hotline.intake.model.TicketStatus;
import org.hotline.intake.service.ReceiveResult;
import org.hotline.intake.service.TicketIntake;
import org.hotline.intake.service.TicketService;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
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
public class TicketResource {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final TicketIntake intake;
    private final TicketService tickets;
    private final ObjectMapper json;

    public TicketResource(TicketIntake intake, TicketService tickets, ObjectMapper json) {
        this.intake = intake;
        this.tickets = tickets;
        this.json = json;
    }

    @POST
    @Operation(summary = "Receive a report on a caller's behalf",
            description = "201 with the new ticket; 200 with the same ticket when the Idempotency-Key (24 h) or"
                    + " upstreamRef was seen before; 200 with {outcome: REPEAT, repeatOf, repeatId, repeatCount,"
                    + " matchedBy, ticket} when the report is a repeat (重复件) of an open ticket")
    public Response create(@HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
            @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(content = @org.eclipse.microprofile.openapi.annotations.media.Content(
                    schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(implementation = CreateTicketRequest.class))) String body)
            throws com.fasterxml.jackson.core.JsonProcessingException {
        // read here rather than by the framework, so malformed JSON is the backbone's problem+json naming the reason
        CreateTicketRequest request = body == null || body.isBlank() ? null : json.readValue(body, CreateTicketRequest.class);
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 128
                || !idempotencyKey.matches("[\\x21-\\x7e]+"))) {
            throw ProblemException.badRequest(IDEMPOTENCY_KEY, "must be 1 to 128 printable ASCII characters");
        }
        ReceiveResult result = intake.receive(request, idempotencyKey, "rest");
        TicketView ticket = TicketView.of(result.ticket());
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
            description = "from/to: ISO-8601 instants bounding receivedAt (from inclusive, to exclusive)")
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
        if (phone != null) {
            phone = phone.replace("-", "");
            if (!phone.matches("\\d{7,12}")) {
                throw ProblemException.badRequest("callerPhone", "must be a phone number (digits, optional '-')");
            }
        }
        TicketService.Filter filter = new TicketService.Filter(enumOf("status", status, TicketStatus.class),
                text("street", street), text("category", category), enumOf("source", source, Source.class), phone,
                fromAt, toAt);
        TicketService.Found found = tickets.search(filter, p, s);
        return new Page<>(found.items().stream().map(TicketView::of).toList(), p, s, found.total());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One ticket with its history (every change, in order), repeats and follow-up calls")
    public TicketView get(@PathParam("id") UUID id) {
        TicketView view = TicketView.of(tickets.get(id));
        List<TicketView.HistoryEntry> history = tickets.history(id).stream()
                .map(h -> new TicketView.HistoryEntry(h.seq, h.type, h.occurredAt, h.eventId, parse(h.data))).toList();
        List<RepeatView> repeats = tickets.repeats(id).stream().map(RepeatView::of).toList();
        List<TicketView.FollowUpView> followUps = tickets.followUps(id).stream()
                .map(f -> new TicketView.FollowUpView(f.id, f.reached, f.satisfaction, f.comment, f.recordedAt))
                .toList();
        return view.with(history, repeats, followUps);
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

    @POST
    @Path("/{id}/repeats/{repeatId}/override")
    @Operation(summary = "Not a repeat: the report becomes a ticket of its own (id = repeatId)",
            description = "Publishes ticket.repeat-overridden for the original and ticket.received for the new ticket")
    public Response overrideRepeat(@PathParam("id") UUID id, @PathParam("repeatId") UUID repeatId,
            @NotNull @Valid OverrideRequest request) {
        TicketView created = TicketView.of(tickets.overrideRepeat(id, repeatId, request.reason(), request.by()));
        return Response.created(URI.create("/api/tickets/" + created.id())).entity(created).build();
    }

    private com.fasterxml.jackson.databind.JsonNode parse(String data) {
        try {
            return json.readTree(data);
        } catch (Exception e) {
            return json.getNodeFactory().textNode(data);
        }
    }

    private static String text(String name, String value) {
        if (value == null) {
            return null;
        }
        if (value.isBlank() || value.length() > 64) {
            throw ProblemException.badRequest(name, "must be 1 to 64 characters");
        }
        return value.strip();
    }

    private static Instant instant(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(name, "must be an ISO-8601 instant, e.g. 2026-11-23T08:00:00Z");
        }
    }

    private static int integer(String name, String value, int dflt, int min, int max) {
        if (value == null) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(value.strip());
            if (v < min || v > max) {
                throw ProblemException.badRequest(name, "must be between " + min + " and " + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest(name, "must be an integer");
        }
    }

    private static <E extends Enum<E>> E enumOf(String name, String value, Class<E> type) {
        if (value == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.strip());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(name, "must be one of " + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }
}

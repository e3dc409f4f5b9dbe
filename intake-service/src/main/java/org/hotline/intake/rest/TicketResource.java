package org.hotline.intake.rest;

import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hotline.backbone.audit.AuditTrail;
import org.hotline.backbone.security.Caller;
import org.hotline.backbone.security.Mask;
import org.hotline.backbone.security.Roles;
import org.hotline.backbone.web.ProblemException;
import org.hotline.intake.model.Source;
import org.hotline.intake.model.Ticket;
import org.hotline.intake.model.TicketStatus;
import org.hotline.intake.service.CreateRateLimit;
import org.hotline.intake.service.ReceiveResult;
import org.hotline.intake.service.TicketIntake;
import org.hotline.intake.service.TicketService;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.annotation.security.RolesAllowed;
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
// reads: operators (every street), dispatchers and supervisors (their street or area, checked per call)
@RolesAllowed({ Roles.OPERATOR, Roles.DISPATCHER, Roles.SUPERVISOR })
public class TicketResource {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final TicketIntake intake;
    private final TicketService tickets;
    private final ObjectMapper json;
    private final Caller caller;
    private final AuditTrail audit;
    private final CreateRateLimit rateLimit;

    public TicketResource(TicketIntake intake, TicketService tickets, ObjectMapper json, Caller caller,
            AuditTrail audit, CreateRateLimit rateLimit) {
        this.intake = intake;
        this.tickets = tickets;
        this.json = json;
        this.caller = caller;
        this.audit = audit;
        this.rateLimit = rateLimit;
    }

    @POST
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Receive a report on a caller's behalf",
            description = "201 with the new ticket; 200 with the same ticket when the Idempotency-Key (24 h) or"
                    + " upstreamRef was seen before; 200 with {outcome: REPEAT, repeatOf, repeatId, repeatCount,"
                    + " matchedBy, ticket} when the report is a repeat (重复件) of an open ticket; 429 with"
                    + " Retry-After over the per-user rate limit")
    public Response create(@HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
            @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(content = @org.eclipse.microprofile.openapi.annotations.media.Content(
                    schema = @org.eclipse.microprofile.openapi.annotations.media.Schema(implementation = CreateTicketRequest.class))) String body)
            throws com.fasterxml.jackson.core.JsonProcessingException {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 128
                || !idempotencyKey.matches("[\\x21-\\x7e]+"))) {
            throw ProblemException.badRequest(IDEMPOTENCY_KEY, "must be 1 to 128 printable ASCII characters");
        }
        // refused before any work; a retry that only replays an earlier result is not a new ticket
        if (idempotencyKey == null || !tickets.replays(idempotencyKey)) {
            rateLimit.acquire(caller.user());
        }
        // read here rather than by the framework, so malformed JSON is the backbone's problem+json naming the reason
        CreateTicketRequest request = body == null || body.isBlank() ? null : json.readValue(body, CreateTicketRequest.class);
        ReceiveResult result = intake.receive(request, idempotencyKey, "rest");
        audit.ticket(result.ticket().id); // a repeat touches the original ticket
        TicketView ticket = view(result.ticket());
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
        TicketService.Filter filter = new TicketService.Filter(enumOf("status", status, TicketStatus.class),
                scoped(text("street", street)), text("category", category), enumOf("source", source, Source.class),
                phone, fromAt, toAt);
        TicketService.Found found = tickets.search(filter, p, s);
        return new Page<>(found.items().stream().map(this::view).toList(), p, s, found.total());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One ticket with its history (every change, in order), repeats and follow-up calls")
    public TicketView get(@PathParam("id") UUID id) {
        Ticket t = readable(id);
        boolean full = caller.seesPersonalDataOf(t.street);
        TicketView view = TicketView.of(t);
        // events carry no caller data, but free text in them (a cancel reason) may hold a phone number
        List<TicketView.HistoryEntry> history = tickets.history(id).stream()
                .map(h -> new TicketView.HistoryEntry(h.seq, h.type, h.occurredAt, h.eventId,
                        full ? parse(h.data) : maskStrings(parse(h.data))))
                .toList();
        List<RepeatView> repeats = tickets.repeats(id).stream().map(RepeatView::of).toList();
        List<TicketView.FollowUpView> followUps = tickets.followUps(id).stream()
                .map(f -> new TicketView.FollowUpView(f.id, f.reached, f.satisfaction, f.comment, f.recordedAt))
                .toList();
        view = view.with(history, repeats, followUps);
        if (full) {
            audit.personalDataShown(id);
        }
        return full ? view : view.masked();
    }

    @POST
    @Path("/{id}/cancel")
    @RolesAllowed({ Roles.OPERATOR, Roles.SUPERVISOR })
    @Operation(summary = "Cancel a ticket with a reason; every clock stops",
            description = "operators; supervisors within their area")
    public TicketView cancel(@PathParam("id") UUID id, @NotNull @Valid CancelRequest request) {
        readable(id);
        return view(tickets.cancel(id, request.reason()));
    }

    @POST
    @Path("/{id}/follow-up")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Record the follow-up call (回访); a dissatisfied caller reopens the ticket")
    public Response followUp(@PathParam("id") UUID id, @NotNull @Valid FollowUpRequest request) {
        tickets.followUp(id, request.reached(), request.satisfaction(), request.comment());
        return Response.ok(view(tickets.get(id))).build();
    }

    @POST
    @Path("/{id}/repeats/{repeatId}/override")
    @RolesAllowed({ Roles.OPERATOR, Roles.SUPERVISOR })
    @Operation(summary = "Not a repeat: the report becomes a ticket of its own (id = repeatId)",
            description = "Publishes ticket.repeat-overridden for the original and ticket.received for the new ticket."
                    + " Operators; supervisors within their area (the original ticket's street)")
    public Response overrideRepeat(@PathParam("id") UUID id, @PathParam("repeatId") UUID repeatId,
            @NotNull @Valid OverrideRequest request) {
        readable(id);
        if (!caller.has(Roles.OPERATOR)) { // the new ticket lands in the repeat's street: it must be his too
            tickets.repeats(id).stream().filter(r -> r.id.equals(repeatId)).findFirst()
                    .ifPresent(r -> caller.requireActOn(r.street));
        }
        TicketView created = view(tickets.overrideRepeat(id, repeatId, request.reason(), caller.user()));
        return Response.created(URI.create("/api/tickets/" + created.id())).entity(created).build();
    }

    /**
     * The ticket, if this caller may work on it: operators any; dispatchers and supervisors only
     * within their street or area (403 otherwise; the street never changes, so checking before the
     * change's own transaction is safe).
     */
    private Ticket readable(UUID id) {
        Ticket t = tickets.get(id);
        if (!caller.has(Roles.OPERATOR)) { // admin and monitoring have no part in intake: no read-everywhere
            caller.requireActOn(t.street);
        }
        return t;
    }

    /** The caller's name and phone in full only for operators and the street's dispatchers. */
    private TicketView view(Ticket t) {
        TicketView v = TicketView.of(t);
        if (!caller.seesPersonalDataOf(t.street)) {
            return v.masked();
        }
        audit.personalDataShown(t.id); // a read that shows the caller in full is audited (AuditFilter)
        return v;
    }

    /** Operators search the whole hotline; everyone else within his street or area (Caller's rule). */
    private String scoped(String street) {
        return caller.has(Roles.OPERATOR) ? street : caller.scopeStreet(street);
    }

    /** Phone numbers masked in the string values only, so numbers (coordinates) and the shape stay intact. */
    private static com.fasterxml.jackson.databind.JsonNode maskStrings(com.fasterxml.jackson.databind.JsonNode node) {
        if (node.isTextual()) {
            return com.fasterxml.jackson.databind.node.TextNode.valueOf(Mask.phonesIn(node.asText()));
        }
        if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
            o.fields().forEachRemaining(e -> e.setValue(maskStrings(e.getValue())));
        } else if (node instanceof com.fasterxml.jackson.databind.node.ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                a.set(i, maskStrings(a.get(i)));
            }
        }
        return node;
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

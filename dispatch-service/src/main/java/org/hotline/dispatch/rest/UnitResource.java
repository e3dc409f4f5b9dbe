package org.hotline.dispatch.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hotline.backbone.security.Caller;
import org.hotline.backbone.security.Mask;
import org.hotline.backbone.security.Roles;
import org.hotline.backbone.web.ProblemException;
import org.hotline.backbone.web.RequestBodies;
import org.hotline.dispatch.model.UnitStatus;
import org.hotline.dispatch.model.UnitType;
import org.hotline.dispatch.service.UnitService;
import org.hotline.dispatch.service.UnitService.UnitState;

import com.fasterxml.jackson.core.JsonProcessingException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Units, members and duty rosters; every change publishes unit.updated on unit-events. Who may
 * (issue #7): admin runs units and rosters; a dispatcher reads his street's units and sets their
 * status; supervisors read their area's; a field member reads his own unit. Staff phones are
 * personal data: in full to admin and to dispatchers of the unit's street, masked (138****5678) to
 * everyone else.
 */
@Path("/api/units")
@Tag(name = "Units", description = "The street's forces, their members and duty rosters")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.ADMIN)
public class UnitResource {

    private final UnitService units;
    private final Caller caller;
    private final RequestBodies bodies;

    public UnitResource(UnitService units, Caller caller, RequestBodies bodies) {
        this.units = units;
        this.caller = caller;
        this.bodies = bodies;
    }

    public record UnitBody(@Pattern(regexp = "[a-z0-9][a-z0-9-]{1,63}") String id, @NotBlank @Size(max = 100) String name,
            @NotNull UnitType type, @NotBlank @Size(max = 64) String street,
            @NotNull @Size(max = 50) List<@NotBlank String> grids, @NotEmpty @Size(max = 50) List<@NotBlank String> categories,
            UnitStatus status, @Min(1) @Max(100) int capacity, @DecimalMin("-90") @DecimalMax("90") Double latitude,
            @DecimalMin("-180") @DecimalMax("180") Double longitude) {
        UnitService.UnitData data() {
            return new UnitService.UnitData(name, type, street, grids, categories, status, capacity, latitude, longitude);
        }
    }

    public record MemberBody(@NotBlank @Size(max = 64) String memberId, @NotBlank @Size(max = 50) String name,
            @NotBlank @Pattern(regexp = "\\+?[0-9][0-9-]{4,19}") String phone, @Size(max = 50) String role) {
    }

    public record ShiftBody(@NotBlank String memberId, @NotEmpty List<@NotBlank String> days,
            @NotBlank String start, @NotBlank String end) {
    }

    public record StatusBody(@NotNull UnitStatus status) {
    }

    @GET
    @RolesAllowed({ Roles.DISPATCHER, Roles.SUPERVISOR, Roles.ADMIN, Roles.FIELD })
    @Operation(summary = "Units with members and duty rosters, optionally of one street",
            description = "street defaults to the reader's own (a dispatcher's street, a street supervisor's area); "
                    + "admin and a county supervisor without street get every street. A street outside the "
                    + "reader's area is 403. A field member gets his own unit only. Staff phones are masked except "
                    + "for admin and the street's dispatchers.")
    public List<UnitState> list(@QueryParam("street") String street) {
        if (fieldOnly()) {
            return units.find(ownUnit()).filter(u -> street == null || street.equals(u.street())).map(this::forReader)
                    .stream().toList();
        }
        return units.list(caller.scopeStreet(street)).stream().map(this::forReader).toList();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.DISPATCHER, Roles.SUPERVISOR, Roles.ADMIN, Roles.FIELD })
    @Operation(summary = "One unit with members and duty roster: of the reader's street or area (a field member: his own unit)")
    public UnitState get(@PathParam("id") String id) {
        if (fieldOnly()) {
            if (!ownUnit().equals(id)) {
                throw ProblemException.forbidden("unit " + id + " is not your unit");
            }
            return forReader(units.state(id));
        }
        UnitState u = units.state(id);
        caller.requireStreet(u.street());
        return forReader(u);
    }

    /** A field member (and nothing more): he reads his own unit only. */
    private boolean fieldOnly() {
        return caller.has(Roles.FIELD) && !caller.has(Roles.DISPATCHER) && !caller.has(Roles.SUPERVISOR)
                && !caller.has(Roles.ADMIN);
    }

    private String ownUnit() {
        return caller.unit().orElseThrow(() -> ProblemException.forbidden("your token names no unit"));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a unit")
    public Response create(@RequestBody(content = @Content(schema = @Schema(implementation = UnitBody.class))) String text)
            throws JsonProcessingException {
        UnitBody body = bodies.required(text, UnitBody.class);
        if (body.id() == null) {
            throw ProblemException.badRequest("id", "required");
        }
        return Response.status(201).entity(units.create(body.id(), body.data())).build();
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Update a unit's type, jurisdiction, categories, status, capacity, base location")
    public UnitState update(@PathParam("id") String id,
            @RequestBody(content = @Content(schema = @Schema(implementation = UnitBody.class))) String text)
            throws JsonProcessingException {
        UnitBody body = bodies.required(text, UnitBody.class);
        if (body.id() != null && !body.id().equals(id)) {
            throw ProblemException.badRequest("id", "differs from the path");
        }
        return units.update(id, body.data());
    }

    @POST
    @Path("/{id}/status")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the unit's status (AVAILABLE, BUSY, OFF_DUTY): admin, or a dispatcher of the unit's street")
    @RolesAllowed({ Roles.ADMIN, Roles.DISPATCHER })
    public UnitState status(@PathParam("id") String id,
            @RequestBody(content = @Content(schema = @Schema(implementation = StatusBody.class))) String text)
            throws JsonProcessingException {
        StatusBody body = bodies.required(text, StatusBody.class); // read before the street check, as it always was
        if (!caller.has(Roles.ADMIN)) {
            caller.requireActOn(units.street(id)); // a dispatcher: his street's units only
        }
        return forReader(units.status(id, body.status()));
    }

    @PUT
    @Path("/{id}/members")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace the unit's members (with phones); a removed member's shifts go too")
    public UnitState members(@PathParam("id") String id, @RequestBody(content = @Content(schema = @Schema(
            type = SchemaType.ARRAY, implementation = MemberBody.class))) String text) throws JsonProcessingException {
        return units.members(id, bodies.requiredList(text, MemberBody.class).stream()
                .map(m -> new UnitService.Member(m.memberId(), m.name(), m.phone(), m.role())).toList());
    }

    @PUT
    @Path("/{id}/shifts")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace the unit's duty roster: per member, days MON..SUN and HH:mm start/end (local time in hotline.time-zone)")
    public UnitState shifts(@PathParam("id") String id, @RequestBody(content = @Content(schema = @Schema(
            type = SchemaType.ARRAY, implementation = ShiftBody.class))) String text) throws JsonProcessingException {
        return units.shifts(id, bodies.requiredList(text, ShiftBody.class).stream()
                .map(s -> new UnitService.Shift(s.memberId(), s.days(), s.start(), s.end())).toList());
    }

    /** Staff phones in full to admin and to dispatchers of the unit's street; masked to everyone else. */
    private UnitState forReader(UnitState u) {
        if (caller.has(Roles.ADMIN) || caller.seesPersonalDataOf(u.street())) {
            return u;
        }
        List<UnitService.Member> masked = u.members().stream()
                .map(m -> new UnitService.Member(m.memberId(), m.name(), Mask.phone(m.phone()), m.role())).toList();
        return new UnitState(u.unitId(), u.name(), u.type(), u.street(), u.grids(), u.categories(), u.status(),
                u.capacity(), u.latitude(), u.longitude(), masked, u.shifts());
    }
}

package org.hotline.dispatch.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hotline.dispatch.model.UnitStatus;
import org.hotline.dispatch.model.UnitType;
import org.hotline.dispatch.service.UnitService;
import org.hotline.dispatch.service.UnitService.UnitState;

import jakarta.validation.Valid;
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

/** Units, members and duty rosters; every change publishes unit.updated on unit-events. */
@Path("/api/units")
@Tag(name = "Units", description = "The street's forces, their members and duty rosters")
@Produces(MediaType.APPLICATION_JSON)
public class UnitResource {

    private final UnitService units;

    public UnitResource(UnitService units) {
        this.units = units;
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
    @Operation(summary = "Units with members and duty rosters, optionally of one street")
    public List<UnitState> list(@QueryParam("street") String street) {
        return units.list(street);
    }

    @GET
    @Path("/{id}")
    public UnitState get(@PathParam("id") String id) {
        return units.state(id);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a unit")
    public Response create(@NotNull @Valid UnitBody body) {
        if (body.id() == null) {
            throw org.hotline.backbone.web.ProblemException.badRequest("id", "required");
        }
        return Response.status(201).entity(units.create(body.id(), body.data())).build();
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Update a unit's type, jurisdiction, categories, status, capacity, base location")
    public UnitState update(@PathParam("id") String id, @NotNull @Valid UnitBody body) {
        if (body.id() != null && !body.id().equals(id)) {
            throw org.hotline.backbone.web.ProblemException.badRequest("id", "differs from the path");
        }
        return units.update(id, body.data());
    }

    @POST
    @Path("/{id}/status")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the unit's status (AVAILABLE, BUSY, OFF_DUTY)")
    public UnitState status(@PathParam("id") String id, @NotNull @Valid StatusBody body) {
        return units.status(id, body.status());
    }

    @PUT
    @Path("/{id}/members")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace the unit's members (with phones); a removed member's shifts go too")
    public UnitState members(@PathParam("id") String id, @NotNull List<@NotNull @Valid MemberBody> body) {
        return units.members(id, body.stream()
                .map(m -> new UnitService.Member(m.memberId(), m.name(), m.phone(), m.role())).toList());
    }

    @PUT
    @Path("/{id}/shifts")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Replace the unit's duty roster: per member, days MON..SUN and HH:mm start/end (Asia/Shanghai)")
    public UnitState shifts(@PathParam("id") String id, @NotNull List<@NotNull @Valid ShiftBody> body) {
        return units.shifts(id, body.stream()
                .map(s -> new UnitService.Shift(s.memberId(), s.days(), s.start(), s.end())).toList());
    }
}

package org.hotline.intake.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hotline.backbone.security.Roles;
import org.hotline.intake.service.StreetRegistry;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/api/streets")
@Tag(name = "Streets", description = "Streets (街道) and their grids (网格): the places a ticket may name")
@Produces(MediaType.APPLICATION_JSON)
// reference data every role's screen shows (any signed-in user, never anonymous)
@RolesAllowed({ Roles.OPERATOR, Roles.DISPATCHER, Roles.FIELD, Roles.SUPERVISOR, Roles.ADMIN, Roles.MONITORING })
public class StreetResource {

    public record GridView(String code, String nameZh) {
    }

    public record StreetView(String code, String nameZh, String nameEn, List<GridView> grids) {
    }

    private final StreetRegistry registry;

    public StreetResource(StreetRegistry registry) {
        this.registry = registry;
    }

    @GET
    @Operation(summary = "Every active street with its active grids")
    public List<StreetView> all() {
        return registry.streets().stream().map(s -> new StreetView(s.code, s.nameZh, s.nameEn,
                registry.grids(s.code).stream().map(g -> new GridView(g.code, g.nameZh)).toList())).toList();
    }
}

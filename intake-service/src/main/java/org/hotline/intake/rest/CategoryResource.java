package org.hotline.intake.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hotline.backbone.security.Roles;
import org.hotline.intake.model.Category;
import org.hotline.intake.model.Complexity;
import org.hotline.intake.service.CategoryCatalogue;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/api/categories")
@Tag(name = "Categories", description = "The category catalogue (派单目录)")
@Produces(MediaType.APPLICATION_JSON)
// reference data every role's screen shows (any signed-in user, never anonymous)
@RolesAllowed({ Roles.OPERATOR, Roles.DISPATCHER, Roles.FIELD, Roles.SUPERVISOR, Roles.ADMIN, Roles.MONITORING })
public class CategoryResource {

    public record CategoryView(String code, String nameZh, String nameEn, Complexity defaultComplexity,
            List<String> unitTypes, List<String> aliases) {
        static CategoryView of(Category c) {
            return new CategoryView(c.code, c.nameZh, c.nameEn, c.defaultComplexity, c.unitTypes, c.aliases);
        }
    }

    private final CategoryCatalogue catalogue;

    public CategoryResource(CategoryCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    @GET
    @Operation(summary = "Every active category, in catalogue order")
    public List<CategoryView> all() {
        return catalogue.all().stream().map(CategoryView::of).toList();
    }

    @GET
    @Path("/{code}")
    @Operation(summary = "One category")
    public CategoryView one(@PathParam("code") String code) {
        return CategoryView.of(catalogue.get(code));
    }
}

package org.hotline.intake.service;

import java.util.List;
import java.util.stream.Collectors;

import org.hotline.backbone.web.Problem;
import org.hotline.backbone.web.ProblemException;
import org.hotline.intake.config.IntakeConfig;
import org.hotline.intake.model.Grid;
import org.hotline.intake.model.Street;
import org.hotline.intake.repository.StreetRepository;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Streets and grids as reference data: a ticket's street must be an active street and its grid,
 * when given, an active grid of that street. A typo would otherwise put the ticket outside every
 * dispatcher's scope (a dispatcher sees his token's street only), where nobody hears of it.
 */
@ApplicationScoped
public class StreetRegistry {

    public static final String UNKNOWN_STREET = "Unknown street";

    private final StreetRepository places;
    private final ReferenceSnapshot<Street> streetsByCode;
    private final ReferenceSnapshot<Grid> gridsByCode;

    public StreetRegistry(StreetRepository places, IntakeConfig config) {
        this.places = places;
        this.streetsByCode = new ReferenceSnapshot<>(
                () -> places.allStreets().stream().collect(Collectors.toMap(s -> s.code, s -> s)), config.referenceRefresh());
        this.gridsByCode = new ReferenceSnapshot<>(
                () -> places.allGrids().stream().collect(Collectors.toMap(g -> g.code, g -> g)), config.referenceRefresh());
    }

    /** Every active street, by code. */
    public List<Street> streets() {
        return places.activeStreets();
    }

    /** A street's active grids, by code. */
    public List<Grid> grids(String street) {
        return places.activeGrids(street);
    }

    /** Refuses (400, listing the valid ones) a street that is not active, or a grid not of it. */
    public void check(String street, String grid) {
        Street s = street == null ? null : streetsByCode.get(street);
        if (s == null || !s.active) {
            String valid = streets().stream().map(x -> x.code).collect(Collectors.joining(", "));
            refuse("location.street", "unknown street '" + truncate(street) + "'; valid streets: " + valid);
        }
        if (grid == null) {
            return;
        }
        Grid g = gridsByCode.get(grid);
        if (g == null || !g.active || !g.street.equals(s.code)) {
            String valid = grids(s.code).stream().map(x -> x.code).collect(Collectors.joining(", "));
            refuse("location.grid", "grid '" + truncate(grid) + "' is not a grid of street " + s.code + "; valid grids: "
                    + (valid.isEmpty() ? "none (leave grid out)" : valid));
        }
    }

    private static void refuse(String field, String reason) {
        throw new ProblemException(400, UNKNOWN_STREET, field + ": " + reason, List.of(new Problem.FieldError(field, reason)));
    }

    private static String truncate(String s) {
        return s == null ? "" : s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}

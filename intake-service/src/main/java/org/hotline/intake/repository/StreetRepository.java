package org.hotline.intake.repository;

import java.util.List;

import org.hotline.intake.model.Grid;
import org.hotline.intake.model.Street;

import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

/** Streets (街道) and their grids (网格), the reference data a ticket's place is checked against. */
@ApplicationScoped
public class StreetRepository {

    /** Every active street, by code. */
    public List<Street> activeStreets() {
        return Street.list("active = true", Sort.by("code"));
    }

    /** A street's active grids, by code. */
    public List<Grid> activeGrids(String street) {
        return Grid.list("street = ?1 and active = true", Sort.by("code"), street);
    }

    /** Every street, active or not (the registry's in-memory copy). */
    public List<Street> allStreets() {
        return Street.listAll();
    }

    /** Every grid, active or not, of every street (the registry's in-memory copy). */
    public List<Grid> allGrids() {
        return Grid.listAll();
    }
}

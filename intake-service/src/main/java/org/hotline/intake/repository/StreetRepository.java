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

    /** The street with this code (active or not), or null. */
    public Street street(String code) {
        return Street.findById(code);
    }

    /** The grid with this code (active or not, of any street), or null. */
    public Grid grid(String code) {
        return Grid.findById(code);
    }
}

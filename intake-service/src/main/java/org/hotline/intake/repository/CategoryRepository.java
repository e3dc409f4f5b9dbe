package org.hotline.intake.repository;

import java.util.List;

import org.hotline.intake.model.Category;

import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

/** The category catalogue (派单目录). */
@ApplicationScoped
public class CategoryRepository {

    /** Every active category, in catalogue order. */
    public List<Category> active() {
        return Category.list("active = true", Sort.by("sortOrder").and("code"));
    }

    /** Every category, active or not (the catalogue's in-memory copy). */
    public List<Category> all() {
        return Category.listAll();
    }

    /** The category with this code (active or not), or null. */
    public Category find(String code) {
        return Category.findById(code);
    }
}

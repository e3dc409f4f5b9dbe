package org.hotline.intake.repository;

import java.util.List;

import org.hotline.intake.model.Category;

import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/** The category catalogue (派单目录). */
@ApplicationScoped
public class CategoryRepository {

    private final EntityManager em;

    public CategoryRepository(EntityManager em) {
        this.em = em;
    }

    /** Every active category, in catalogue order. */
    public List<Category> active() {
        return Category.list("active = true", Sort.by("sortOrder").and("code"));
    }

    /** The category with this code (active or not), or null. */
    public Category find(String code) {
        return Category.findById(code);
    }

    /** The category one of whose aliases this is (active or not), or null. */
    public Category byAlias(String alias) {
        List<Object[]> code = JdbcSelect.rows(em, "select code from category where ? = any(aliases)", alias);
        return code.isEmpty() ? null : Category.findById(code.get(0)[0]);
    }
}

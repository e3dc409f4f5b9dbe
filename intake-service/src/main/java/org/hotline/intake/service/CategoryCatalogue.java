package org.hotline.intake.service;

import java.util.List;
import java.util.stream.Collectors;

import org.hotline.backbone.web.Problem;
import org.hotline.backbone.web.ProblemException;
import org.hotline.intake.model.Category;

import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/** The 派单目录 as data: every ticket's category must be one of its active codes. */
@ApplicationScoped
public class CategoryCatalogue {

    public static final String UNKNOWN_CATEGORY = "Unknown category";

    private final EntityManager em;

    public CategoryCatalogue(EntityManager em) {
        this.em = em;
    }

    public List<Category> all() {
        return Category.list("active = true", Sort.by("sortOrder").and("code"));
    }

    /** The active category with this code or alias; a 400 problem listing the valid codes otherwise. */
    public Category resolve(String codeOrAlias) {
        String code = codeOrAlias == null ? "" : codeOrAlias.strip();
        Category c = Category.findById(code);
        if (c == null) {
            List<Object[]> byAlias = Jdbc.select(em, "select code from category where ? = any(aliases)", code);
            c = byAlias.isEmpty() ? null : Category.findById(byAlias.get(0)[0]);
        }
        if (c == null || !c.active) {
            String valid = all().stream().map(x -> x.code).collect(Collectors.joining(", "));
            String reason = "unknown category code '" + truncate(code) + "'; valid codes: " + valid;
            throw new ProblemException(400, UNKNOWN_CATEGORY, "category: " + reason,
                    List.of(new Problem.FieldError("category", reason)));
        }
        return c;
    }

    public Category get(String code) {
        Category c = Category.findById(code);
        if (c == null) {
            throw ProblemException.notFound("category", truncate(code));
        }
        return c;
    }

    private static String truncate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}

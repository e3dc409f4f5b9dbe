package org.hotline.intake.service;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.hotline.backbone.web.Problem;
import org.hotline.backbone.web.ProblemException;
import org.hotline.intake.config.IntakeConfig;
import org.hotline.intake.model.Category;
import org.hotline.intake.repository.CategoryRepository;

import jakarta.enterprise.context.ApplicationScoped;

/** The 派单目录 as data: every ticket's category must be one of its active codes. */
@ApplicationScoped
public class CategoryCatalogue {

    public static final String UNKNOWN_CATEGORY = "Unknown category";

    private final CategoryRepository categories;
    /** By code and by alias (a code wins over another category's alias). */
    private final ReferenceSnapshot<Category> byCodeOrAlias;

    public CategoryCatalogue(CategoryRepository categories, IntakeConfig config) {
        this.categories = categories;
        this.byCodeOrAlias = new ReferenceSnapshot<>(() -> {
            Map<String, Category> map = new HashMap<>();
            List<Category> all = categories.all();
            all.forEach(c -> c.aliases.forEach(a -> map.putIfAbsent(a, c)));
            all.forEach(c -> map.put(c.code, c));
            return map;
        }, config.referenceRefresh());
    }

    public List<Category> all() {
        return categories.active();
    }

    /** The active category with this code or alias; a 400 problem listing the valid codes otherwise. */
    public Category resolve(String codeOrAlias) {
        String code = codeOrAlias == null ? "" : codeOrAlias.strip();
        Category c = byCodeOrAlias.get(code);
        if (c == null || !c.active) {
            String valid = all().stream().map(x -> x.code).collect(Collectors.joining(", "));
            String reason = "unknown category code '" + truncate(code) + "'; valid codes: " + valid;
            throw new ProblemException(400, UNKNOWN_CATEGORY, "category: " + reason,
                    List.of(new Problem.FieldError("category", reason)));
        }
        return c;
    }

    public Category get(String code) {
        Category c = categories.find(code);
        if (c == null) {
            throw ProblemException.notFound("category", truncate(code));
        }
        return c;
    }

    private static String truncate(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}

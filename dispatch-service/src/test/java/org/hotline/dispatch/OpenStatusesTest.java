package org.hotline.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.hotline.backbone.testing.InfraResource;
import org.hotline.dispatch.model.AssignmentStatus;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * The open assignment statuses live in one place, AssignmentStatus.OPEN: the HQL and SQL lists
 * every query uses are derived from it, and the partial indexes the migrations had to spell out
 * (capacity counts, one open lead per ticket) must still say the same, or PostgreSQL would stop
 * using them and the one-lead guarantee would drift from the code's idea of "open".
 */
@QuarkusTest
@WithTestResource(InfraResource.class)
class OpenStatusesTest {

    static final Pattern QUOTED = Pattern.compile("'([A-Z_]+)'");

    @Inject
    EntityManager em;

    static Set<String> open() {
        Set<String> out = new TreeSet<>();
        AssignmentStatus.OPEN.forEach(s -> out.add(s.name()));
        return out;
    }

    static Set<String> statusesIn(String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = QUOTED.matcher(text);
        while (m.find()) {
            try {
                out.add(AssignmentStatus.valueOf(m.group(1)).name());
            } catch (IllegalArgumentException notAStatus) {
                // e.g. 'LEAD'
            }
        }
        return out;
    }

    @Test
    void theQueryListsAreDerivedFromTheEnum() {
        assertEquals(open(), statusesIn(AssignmentStatus.OPEN_SQL));
        Set<String> hql = new TreeSet<>();
        Matcher m = Pattern.compile("AssignmentStatus\\.([A-Z_]+)").matcher(AssignmentStatus.OPEN_HQL);
        while (m.find()) {
            hql.add(m.group(1));
        }
        assertEquals(open(), hql);
    }

    @Test
    void thePartialIndexesSayOpenAsTheEnumDoes() {
        @SuppressWarnings("unchecked")
        List<String> defs = em.createNativeQuery("select indexdef from pg_indexes where tablename = 'assignment'"
                + " and indexname in ('assignment_unit_open', 'assignment_one_open_lead') order by indexname")
                .getResultList();
        assertEquals(2, defs.size(), defs.toString());
        for (String def : defs) {
            assertEquals(open(), statusesIn(def), def);
        }
    }
}

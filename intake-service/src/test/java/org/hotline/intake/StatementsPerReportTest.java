package org.hotline.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.hotline.backbone.testing.CountedStatements;
import org.hotline.backbone.testing.CountingDriver;
import org.hotline.backbone.testing.InfraResource;
import org.hotline.backbone.testing.StatementCounts;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The create path's cost in SQL statements (issue #18, item 1): reports posted one after the other
 * (each its own group commit), every statement the report writer's lanes send counted (backbone's
 * CountingDriver). Per new report: the caller's phone lock, the repeat match (phone, else
 * proximity: one query), the ticket, its event, its history entry, the COMMIT. The numbers are in
 * docs/benchmarks.md (session 27).
 */
@QuarkusTest
@TestProfile(StatementsPerReportTest.Counted.class)
@WithTestResource(InfraResource.class)
class StatementsPerReportTest {

    /** Counted statements, and reference data read once: a reload on a lane would count as a report's. */
    public static class Counted extends CountedStatements {
        @Override
        public java.util.Map<String, String> getConfigOverrides() {
            java.util.Map<String, String> overrides = new java.util.HashMap<>(super.getConfigOverrides());
            overrides.put("intake.reference-refresh", "PT1H");
            return overrides;
        }
    }

    private static final Logger LOG = Logger.getLogger(StatementsPerReportTest.class);
    private static final int REPORTS = 20;

    @Test
    void aNewReportCostsSixStatements() {
        for (int i = 0; i < 5; i++) { // warm-up: statement plans, Hibernate's first insert
            TestData.create();
        }
        CountingDriver.reset();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < REPORTS; i++) {
            ids.add(TestData.create());
        }
        StatementCounts created = CountingDriver.snapshot().onThreads(t -> t.startsWith("group-commit-intake-reports"));
        LOG.infof("%d new reports, one at a time: %d sent (%.2f per report)%n%s", REPORTS, created.sent(),
                created.sent() / (double) REPORTS, created.report(REPORTS));
        assertEquals(REPORTS, ids.stream().distinct().count());
        // 6 per report; the bound fails on one statement per report more. Nothing counted would mean
        // the reports were written on another thread than the writer's lanes, not that they were free
        assertTrue(created.sent() > 0 && created.sent() <= 6 * REPORTS, created.report(REPORTS));
    }
}

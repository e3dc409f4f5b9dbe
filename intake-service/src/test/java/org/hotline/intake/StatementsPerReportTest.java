package org.hotline.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.awaitility.Awaitility;

import org.hotline.backbone.testing.CountedStatements;
import org.hotline.backbone.testing.CountingDriver;
import org.hotline.backbone.testing.InfraResource;
import org.hotline.backbone.testing.StatementCounts;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/**
 * The create path's cost in SQL statements (issue #18, item 1), every statement the report writer's
 * lanes send counted (backbone's CountingDriver). A report alone: the caller's phone lock, the
 * repeat match (phone, else proximity: one query), the ticket, its event, its history entry, the
 * COMMIT. A group of reports written together: its callers' phones locked in one statement, the
 * match and the ticket per report, then the group's events in one JDBC batch, its history entries
 * in another, and one COMMIT. The numbers
 * are in docs/benchmarks.md (sessions 27 and 28).
 */
@QuarkusTest
@TestProfile(StatementsPerReportTest.Counted.class)
@WithTestResource(InfraResource.class)
class StatementsPerReportTest {

    /**
     * Counted statements, and reference data read once: a reload on a lane would count as a report's.
     * One writer lane, so that reports queued behind a held one are written as one group.
     */
    public static class Counted extends CountedStatements {
        @Override
        public java.util.Map<String, String> getConfigOverrides() {
            java.util.Map<String, String> overrides = new java.util.HashMap<>(super.getConfigOverrides());
            overrides.put("intake.reference-refresh", "PT1H");
            overrides.put("intake.group-commit.lanes", "1");
            return overrides;
        }
    }

    @Inject
    DataSource dataSource;
    @Inject
    MeterRegistry registry;

    private static final Logger LOG = Logger.getLogger(StatementsPerReportTest.class);
    private static final int REPORTS = 20;
    private static final int GROUP = 10;

    @Test
    void aNewReportCostsSixStatements() {
        for (int i = 0; i < 5; i++) { // warm-up: statement plans, the first inserts
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

    @Test
    void aGroupOfNewReportsCostsTwoStatementsEachAndFourForTheGroup() throws Exception {
        for (int i = 0; i < 3; i++) { // warm-up, as above
            TestData.create();
        }
        DistributionSummary groups = registry.get("group_commit_size").tag("group", "intake-reports").summary();
        long groupsBefore = groups.count();
        double reportsBefore = groups.totalAmount();
        String held = TestData.phone();
        ExecutorService pool = Executors.newFixedThreadPool(GROUP + 1);
        try (Connection lock = dataSource.getConnection()) {
            lock.setAutoCommit(true);
            CountingDriver.reset();
            // the lane is held inside a report's transaction, waiting for its caller's phone that
            // this test has locked, so the reports posted meanwhile queue up and make one group
            advisory(lock, "select pg_advisory_lock(hashtext(?))", held);
            Future<Response> first = pool.submit(() -> post(held));
            Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> waitingOnLocks(lock) >= 1);
            List<Future<Response>> queued = new ArrayList<>();
            for (int i = 0; i < GROUP; i++) {
                String phone = TestData.phone();
                queued.add(pool.submit(() -> post(phone)));
            }
            Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> queued() >= GROUP);
            advisory(lock, "select pg_advisory_unlock(hashtext(?))", held);

            assertEquals(201, first.get(30, TimeUnit.SECONDS).statusCode());
            for (Future<Response> f : queued) {
                Response r = f.get(30, TimeUnit.SECONDS);
                assertEquals(201, r.statusCode(), r.asString());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, groups.count() - groupsBefore, "the held report, then the others as one group");
        assertEquals(GROUP + 1, groups.totalAmount() - reportsBefore);

        StatementCounts written = CountingDriver.snapshot().onThreads(t -> t.startsWith("group-commit-intake-reports"));
        LOG.infof("a report alone, then %d new reports as one group: %d sent%n%s", GROUP, written.sent(),
                written.report(GROUP + 1));
        // each event and history entry is written, once, but in one batch per transaction: the held
        // report's and the group's
        assertEquals(List.of(2L, GROUP + 1L), sentAndRows(written, "insert into outbox_event"), written.report(1));
        assertEquals(List.of(2L, GROUP + 1L), sentAndRows(written, "insert into ticket_history"), written.report(1));
        // the callers' phones: the held report's alone, then the group's ten in one statement
        assertEquals(List.of(1L, 1L), List.of(sent(written, "select pg_advisory_xact_lock("),
                sent(written, "select count(*) from (select pg_advisory_xact_lock(")), written.report(1));
        // 6 for the held report, 2 per report and 4 for the group; one per report more fails
        assertTrue(written.sent() <= 6 + 2 * GROUP + 4, written.report(GROUP + 1));
    }

    private static long sent(StatementCounts counts, String sqlStart) {
        return counts.counts().stream().filter(c -> c.sql().startsWith(sqlStart)).mapToLong(StatementCounts.Count::sent)
                .sum();
    }

    private static List<Long> sentAndRows(StatementCounts counts, String insertInto) {
        List<StatementCounts.Count> of = counts.counts().stream().filter(c -> c.sql().startsWith(insertInto)).toList();
        return List.of(of.stream().mapToLong(StatementCounts.Count::sent).sum(),
                of.stream().mapToLong(StatementCounts.Count::rows).sum());
    }

    private static Response post(String phone) {
        double[] p = TestData.place();
        return Api.given().contentType(ContentType.JSON).body(TestData.report(phone, p[0], p[1], "NOISE"))
                .post("/api/tickets");
    }

    private static void advisory(Connection c, String sql, String phone) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, "phone:" + phone);
            ps.execute();
        }
    }

    private static int waitingOnLocks(Connection c) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(
                "select count(*) from pg_locks where locktype = 'advisory' and not granted")) {
            ResultSet rs = ps.executeQuery();
            rs.next();
            return rs.getInt(1);
        }
    }

    private double queued() {
        var gauge = registry.find("group_commit_queued").tag("group", "intake-reports").gauge();
        return gauge == null ? 0 : gauge.value();
    }
}

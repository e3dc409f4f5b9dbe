package org.hotline.intake;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;

import org.hotline.backbone.testing.InfraResource;

/**
 * Reports that arrive at the same moment are written together (group commit), and each is
 * answered as if it had come alone: every good report gets its own ticket with its event and
 * history, a refused one gets its own 400 and costs the others nothing, and reports from one
 * caller in the same group still make one ticket and repeats of it.
 */
@QuarkusTest
@WithTestResource(InfraResource.class)
class ReportsAtOnceTest {

    @Inject
    DataSource dataSource;
    @Inject
    MeterRegistry registry;

    @Test
    void reportsQueuedBehindBusyWritersAreWrittenTogetherAndEachAnsweredAsIfAlone() throws Exception {
        // Both writer lanes are held inside a transaction waiting for a caller's phone that this
        // test has locked, so the reports posted meanwhile queue up and are written as groups.
        String heldA = TestData.phone();
        String heldB = TestData.phone();
        String sameCaller = TestData.phone();
        ExecutorService pool = Executors.newFixedThreadPool(24);
        try (Connection lock = dataSource.getConnection()) {
            lock.setAutoCommit(true);
            advisory(lock, "select pg_advisory_lock(hashtext(?))", heldA);
            advisory(lock, "select pg_advisory_lock(hashtext(?))", heldB);
            Future<Response> blockedA = pool.submit(() -> post(report(heldA)));
            awaitWaitingOnLocks(lock, 1); // one at a time: two at once could be one lane's group
            Future<Response> blockedB = pool.submit(() -> post(report(heldB)));
            awaitWaitingOnLocks(lock, 2);

            List<String> distinct = new ArrayList<>();
            List<Future<Response>> good = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String phone = TestData.phone();
                distinct.add(phone);
                good.add(pool.submit(() -> post(report(phone))));
            }
            Future<Response> refused = pool.submit(() -> post(TestData.report().replace("\"wukang\"", "\"no-such-street\"")));
            List<Future<Response>> fromOneCaller = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                fromOneCaller.add(pool.submit(() -> post(report(sameCaller))));
            }
            awaitQueued(12 + 1 + 3); // the two held are in the lanes, not queued
            advisory(lock, "select pg_advisory_unlock(hashtext(?))", heldA);
            advisory(lock, "select pg_advisory_unlock(hashtext(?))", heldB);

            assertEquals(201, blockedA.get(30, TimeUnit.SECONDS).statusCode());
            assertEquals(201, blockedB.get(30, TimeUnit.SECONDS).statusCode());
            Set<String> ids = new HashSet<>();
            for (Future<Response> f : good) {
                Response r = f.get(30, TimeUnit.SECONDS);
                assertEquals(201, r.statusCode(), r.asString());
                String id = r.path("id");
                ids.add(id);
                assertEquals(1, TestData.count("ticket where id = '" + id + "'"));
                assertEquals(1, TestData.count("ticket_history where ticket_id = '" + id + "' and type = 'ticket.received'"));
                assertEquals(1, TestData.count("outbox_event where event_key = '" + id + "' and type = 'ticket.received'"));
            }
            assertEquals(12, ids.size(), "each report its own ticket");

            Response bad = refused.get(30, TimeUnit.SECONDS);
            assertEquals(400, bad.statusCode());
            assertEquals("application/problem+json", bad.contentType());
            assertTrue(bad.asString().contains("no-such-street"), bad.asString());

            int created = 0;
            Set<Integer> repeatCounts = new HashSet<>();
            String ticket = null;
            for (Future<Response> f : fromOneCaller) {
                Response r = f.get(30, TimeUnit.SECONDS);
                if (r.statusCode() == 201) {
                    created++;
                    ticket = r.path("id");
                    assertEquals(0, (int) r.path("repeatCount"), "the new ticket as its own report left it");
                } else {
                    assertEquals(200, r.statusCode(), r.asString());
                    assertEquals("REPEAT", r.path("outcome"));
                    // each repeat answered with the count its own report made, as if it had come alone
                    assertEquals((int) r.path("repeatCount"), (int) r.path("ticket.repeatCount"));
                    repeatCounts.add(r.path("repeatCount"));
                }
            }
            assertEquals(1, created, "one caller, one ticket");
            assertEquals(Set.of(1, 2), repeatCounts);
            List<String> historyEvents = Api.given().get("/api/tickets/" + ticket).then().statusCode(200)
                    .body("repeatCount", equalTo(2))
                    // the group's history entries and events are written together at its end, still
                    // in the order the reports made them
                    .body("history.type", contains("ticket.received", "ticket.repeat-reported", "ticket.repeat-reported"))
                    .body("history[1].data.repeatCount", equalTo(1))
                    .body("history[2].data.repeatCount", equalTo(2))
                    .extract().path("history.eventId");
            assertEquals(historyEvents, eventsInOrder(lock, ticket), "the ticket's events, in the order of its history");
            assertEquals(1, TestData.count("ticket where caller_phone = '" + sameCaller + "'"));
        } finally {
            pool.shutdownNow();
        }
        double largest = registry.get("group_commit_size").tag("group", "intake-reports").summary().max();
        assertTrue(largest > 1, "the queued reports were written in groups, largest " + largest);
    }

    private static Response post(String body) {
        return Api.given().contentType(ContentType.JSON).body(body).post("/api/tickets");
    }

    private static String report(String phone) {
        double[] p = TestData.place();
        return TestData.report(phone, p[0], p[1], "NOISE");
    }

    private static void advisory(Connection c, String sql, String phone) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, "phone:" + phone);
            ps.execute();
        }
    }

    /** The ticket's events in the outbox's order (seq: the order they are published in). */
    private static List<String> eventsInOrder(Connection c, String ticket) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("select event_id from outbox_event where event_key = ? order by seq")) {
            ps.setString(1, ticket);
            var rs = ps.executeQuery();
            List<String> ids = new ArrayList<>();
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
            return ids;
        }
    }

    /** Until {@code n} transactions wait for an advisory lock (both writer lanes are held). */
    private static void awaitWaitingOnLocks(Connection c, int n) throws Exception {
        org.awaitility.Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "select count(*) from pg_locks where locktype = 'advisory' and not granted")) {
                var rs = ps.executeQuery();
                rs.next();
                return rs.getInt(1) >= n;
            }
        });
    }

    /** Until the requests wait in the writers' queue. */
    private void awaitQueued(int n) {
        org.awaitility.Awaitility.await().atMost(30, TimeUnit.SECONDS).until(() -> queued() >= n);
    }

    private double queued() {
        var gauge = registry.find("group_commit_queued").tag("group", "intake-reports").gauge();
        return gauge == null ? 0 : gauge.value();
    }
}

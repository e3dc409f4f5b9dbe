package org.hotline.notification.repository;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hotline.backbone.testing.EventProbe;
import org.hotline.backbone.testing.EventSchemas;
import org.hotline.backbone.testing.InfraResource;
import org.hotline.notification.model.DeliveryStatus;
import org.hotline.notification.model.Notification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * The delivery worker behind a backlog, as a breach storm leaves it: thousands of due SLA webhooks
 * written within seconds, on a table whose planner statistics were taken while it was nearly empty
 * (autovacuum's analyze runs a minute or more behind, or not at all). A live run collapsed there:
 * each claim walked and sorted the whole backlog, and dispatch notices written after it were never
 * sent. The worker is paused in this profile so the test alone claims.
 */
@QuarkusTest
@TestProfile(DeliveryBacklogTest.WorkerPaused.class)
@WithTestResource(InfraResource.class)
class DeliveryBacklogTest {

    public static class WorkerPaused implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("notification.delivery.enabled", "false");
        }
    }

    static final List<String> ALL_CHANNELS = List.of("CONSOLE", "WEBHOOK", "SMS");

    @Inject
    AgroalDataSource db;

    @Inject
    NotificationRepository notifications;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @BeforeEach
    void emptyTableWithItsStatistics() throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("delete from notification");
            s.execute("analyze notification"); // statistics of an empty table: the planner expects next to nothing
        }
    }

    /** {@code rows} open SLA breach webhooks, one a ticket, due one a millisecond apart from {@code from}. */
    void breachBacklog(int rows, Instant from) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                insert into notification (id, ticket_id, event_id, event_type, event_time, street, recipient,
                                          channel, address, text, body, status, attempts, next_attempt_at, created_at)
                select gen_random_uuid(), md5('backlog' || i)::uuid, 'backlog-' || i, 'sla.breached', ?,
                       'wukang', 'person:wk-zhang', 'WEBHOOK', 'http://127.0.0.1:1/none', 'breach', '{}',
                       'PENDING', 0, ? + i * interval '1 millisecond', ?
                  from generate_series(1, ?) i""")) {
            OffsetDateTime t = OffsetDateTime.ofInstant(from, ZoneOffset.UTC);
            ps.setObject(1, t);
            ps.setObject(2, t);
            ps.setObject(3, t);
            ps.setInt(4, rows);
            ps.executeUpdate();
        }
    }

    @Test
    void aDispatchNoticeWrittenAfterABreachStormIsClaimedAheadOfIt() throws SQLException {
        breachBacklog(2_000, Instant.now().minusSeconds(60));
        // the unit's order, decided through the consumer as in production, after the storm
        String ticket = UUID.randomUUID().toString();
        String event = EventSchemas.example("assignment.created.json")
                .replace("0b6f7c1e-2a44-4d6b-9f3e-8c2d1a5b7e90", ticket)
                .replace("9a3e1f0c-6b7d-4c2a-8e5f-1d2c3b4a5f60", UUID.randomUUID().toString());
        EventProbe.shared(bootstrap, "dispatch-events").send("dispatch-events", ticket, event);
        List<Notification> notice = await().atMost(Duration.ofSeconds(20)).until(
                () -> QuarkusTransaction.requiringNew().call(() -> notifications.search(UUID.fromString(ticket), null, null, null, 10)),
                rows -> !rows.isEmpty());

        List<Notification> rows = notifications.claim(Instant.now(), ALL_CHANNELS, 12, UUID.randomUUID(),
                Instant.now().plusSeconds(30));
        List<UUID> claimed = rows.stream().map(n -> n.id).toList();

        assertEquals(12, claimed.size());
        for (Notification n : notice) {
            assertTrue(claimed.contains(n.id), "the dispatch notice (" + n.channel + ") goes out before the "
                    + "2,000 breach webhooks written ahead of it; claimed " + claimed);
            // the claim returns what the send needs: no read of the row before the call
            Notification sent = rows.get(claimed.indexOf(n.id));
            assertEquals(List.of(n.channel, n.address, n.text, n.recipient, n.ticketId),
                    List.of(sent.channel, sent.address, sent.text, sent.recipient, sent.ticketId));
        }
        // the rest of the claim is the storm's oldest rows, in the order they fell due
        List<String> backlog = eventIds(claimed).stream().filter(e -> e.startsWith("backlog-")).toList();
        List<String> oldest = new ArrayList<>();
        for (int i = 1; oldest.size() < backlog.size(); i++) {
            oldest.add("backlog-" + i);
        }
        assertEquals(oldest, backlog);
    }

    /**
     * A claim that fails on a connection whose rollback then fails too (a broken connection fails
     * both): the claim's own error is what the worker logs, with the rollback's failure kept beside
     * it, not hidden behind it. The claim fails for real (PostgreSQL refuses a negative LIMIT); only
     * the rollback's failure is staged, after the real rollback.
     */
    @Test
    void aClaimThatFailsReportsItsOwnErrorWhenTheRollbackFailsToo() {
        NotificationRepository failing = new NotificationRepository();
        failing.dataSource = (AgroalDataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { AgroalDataSource.class }, (p, m, args) -> m.getName().equals("getConnection")
                        ? rollbackFails((Connection) m.invoke(db, args))
                        : m.invoke(db, args));

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> failing.claim(Instant.now(),
                ALL_CHANNELS, -1, UUID.randomUUID(), Instant.now().plusSeconds(30)));

        assertTrue(e.getCause().getMessage().contains("LIMIT must not be negative"), e.toString());
        assertEquals(List.of("connection reset while rolling back"),
                Arrays.stream(e.getCause().getSuppressed()).map(Throwable::getMessage).toList());
    }

    static Connection rollbackFails(Connection real) {
        return (Connection) Proxy.newProxyInstance(DeliveryBacklogTest.class.getClassLoader(),
                new Class<?>[] { Connection.class }, (p, m, args) -> {
                    try {
                        Object result = m.invoke(real, args);
                        if (m.getName().equals("rollback") && args == null) {
                            throw new SQLException("connection reset while rolling back");
                        }
                        return result;
                    } catch (InvocationTargetException ex) {
                        throw ex.getCause();
                    }
                });
    }

    @Test
    void aClaimReadsAboutWhatItTakesHoweverStaleTheStatistics() throws Exception {
        breachBacklog(5_000, Instant.now().minusSeconds(60));

        JsonNode plan = explainClaim(Instant.now(), 12);

        // the work of a claim, not its time (the machine is shared): every row any step of the plan
        // produced; walking and sorting the backlog produces all 5,000 of them at least once
        long mostRows = mostRows(plan.get(0).get("Plan"));
        assertTrue(mostRows <= 100, "a claim of 12 produced " + mostRows + " rows in one step of its plan:\n"
                + plan.toPrettyString());
        assertEquals(DeliveryStatus.PENDING, statusOf("backlog-1"), "EXPLAIN ANALYZE ran in a rolled-back transaction");
    }

    /** EXPLAIN ANALYZE of the worker's claim statement, with the worker's settings, rolled back. */
    JsonNode explainClaim(Instant now, int limit) throws Exception {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    s.execute(NotificationRepository.CLAIM_PLAN);
                }
                try (PreparedStatement ps = c.prepareStatement("explain (analyze, format json) " + NotificationRepository.CLAIM)) {
                    NotificationRepository.bindClaim(ps, c, now, ALL_CHANNELS, limit, UUID.randomUUID(), now.plusSeconds(30));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return new ObjectMapper().readTree(rs.getString(1));
                    }
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }

    static long mostRows(JsonNode node) {
        long most = node.path("Actual Rows").asLong() * Math.max(1, node.path("Actual Loops").asLong());
        for (JsonNode child : node.path("Plans")) {
            most = Math.max(most, mostRows(child));
        }
        return most;
    }

    List<String> eventIds(List<UUID> ids) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("select event_id from notification where id = any(?) order by next_attempt_at, seq")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            List<String> events = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    events.add(rs.getString(1));
                }
            }
            return events;
        }
    }

    DeliveryStatus statusOf(String eventId) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement("select status from notification where event_id = ?")) {
            ps.setString(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return DeliveryStatus.valueOf(rs.getString(1));
            }
        }
    }
}

package org.hotline.bench.sla;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/**
 * The work our engine does per fire, given to db-scheduler's handler and Quartz's job so that the
 * comparison is like for like: one {@code outbox_event} row (the table and index of backbone's
 * V0_1__backbone.sql, the columns Outbox.insert writes) holding an {@code sla.warning} CloudEvent
 * of the same shape and size, inserted and committed in a transaction of its own on the
 * scheduler's pool. A fire counts once that commit returns; its time is the row's
 * {@code created_at}, taken just before the insert, as ours takes it (Outbox.publish).
 */
final class BenchOutbox {

    /** backbone's own migration, read from its jar: the same outbox_event table and index as every service's. */
    static final String DDL = backboneMigration("db/backbone/V0_1__backbone.sql");

    private static final String INSERT = "insert into outbox_event (event_id, topic, event_key, type, payload,"
            + " created_at) values (?, ?, ?, ?, ?, ?)";

    private BenchOutbox() {
    }

    /** Writes the fire of timer {@code id}, due at {@code due}, decided at {@code now}, and commits. */
    static void write(Connection c, String id, Instant due, Instant now) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            UUID eventId = UUID.randomUUID();
            UUID ticket = UUID.nameUUIDFromBytes(id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            ps.setObject(1, eventId);
            ps.setString(2, "sla-events");
            ps.setString(3, ticket.toString());
            ps.setString(4, "sla.warning");
            ps.setString(5, payload(eventId, ticket, due, now));
            ps.setObject(6, Pg.ts(now));
            ps.executeUpdate();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /** An sla.warning CloudEvent as SlaEvents.warning writes it (ClockEvent's fields, nulls included). */
    static String payload(UUID eventId, UUID ticket, Instant due, Instant now) {
        Instant deadline = due.plusSeconds(12);
        return "{\"specversion\":\"1.0\",\"id\":\"" + eventId + "\",\"source\":\"/hotline/sla-timer-service\","
                + "\"type\":\"sla.warning\",\"subject\":\"" + ticket + "\",\"time\":\"" + now + "\","
                + "\"datacontenttype\":\"application/json\",\"data\":{\"ticketId\":\"" + ticket + "\","
                + "\"stage\":\"RESPOND\",\"round\":0,\"policyCode\":\"13830\",\"policyVersion\":1,"
                + "\"street\":\"bench-burst\",\"category\":\"bench\",\"unitType\":null,\"deadline\":\"" + deadline
                + "\",\"dueAt\":\"" + due + "\",\"firedAt\":\"" + now + "\",\"latenessMs\":"
                + (now.toEpochMilli() - due.toEpochMilli()) + ",\"late\":false,\"level\":null,\"recipient\":null,"
                + "\"action\":null,\"startedAt\":\"" + due.minusSeconds(48) + "\",\"metAt\":null,\"onTime\":null,"
                + "\"durationMs\":null,\"warnAt\":null}}";
    }

    private static String backboneMigration(String resource) {
        try (java.io.InputStream in = BenchOutbox.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " not on the classpath (backbone's jar)");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

package org.hotline.loadgen;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads, after the run (read-only), the two times no event carries: when sla-timer-service armed a
 * ticket's clocks (its inbox row for the ticket's {@code ticket.received}, written in the arming
 * transaction) and when notification-service decided and sent the ticket's first dispatch notice
 * (its first {@code assignment.created} row: {@code created_at}, {@code sent_at}); and when dispatch
 * consumed the ticket.
 * Schemas are the services' own ({@code sla}, {@code notification}, {@code dispatch}) in one database.
 */
public final class DbProbe implements AutoCloseable {

    private final Connection c;

    public DbProbe(String url, String user, String password) throws SQLException {
        this.c = DriverManager.getConnection(url, user, password);
        this.c.setReadOnly(true);
    }

    /** Fills armedAt, dispatchConsumedAt, notifyDecidedAt and notifiedAt of the tickets that have them. */
    public void fill(List<Observations.Ticket> tickets) throws SQLException {
        Map<String, Observations.Ticket> byEvent = new HashMap<>();
        Map<UUID, Observations.Ticket> byId = new HashMap<>();
        for (Observations.Ticket t : tickets) {
            if (t.receivedEventId != null) {
                byEvent.put(t.receivedEventId, t);
            }
            byId.put(t.id, t);
        }
        List<String> events = new ArrayList<>(byEvent.keySet());
        for (int from = 0; from < events.size(); from += 5_000) {
            List<String> chunk = events.subList(from, Math.min(events.size(), from + 5_000));
            Array ids = c.createArrayOf("text", chunk.toArray());
            try (PreparedStatement ps = c.prepareStatement(
                    "select event_id, processed_at from sla.processed_event where event_id = any(?)")) {
                ps.setArray(1, ids);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byEvent.get(rs.getString(1)).armedAt = rs.getTimestamp(2).toInstant();
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "select event_id, processed_at from dispatch.processed_event where event_id = any(?)")) {
                ps.setArray(1, ids);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byEvent.get(rs.getString(1)).dispatchConsumedAt = rs.getTimestamp(2).toInstant();
                    }
                }
            }
        }
        List<UUID> uuids = new ArrayList<>(byId.keySet());
        for (int from = 0; from < uuids.size(); from += 5_000) {
            List<UUID> chunk = uuids.subList(from, Math.min(uuids.size(), from + 5_000));
            // the dispatch notice (【派单】 to the assigned unit: console, SMS), not an earlier SLA warning
            // or repeat notice about a ticket not dispatched yet
            try (PreparedStatement ps = c.prepareStatement("select ticket_id, min(created_at), min(sent_at)"
                    + " from notification.notification where ticket_id = any(?) and event_type = 'assignment.created'"
                    + " group by ticket_id")) {
                ps.setArray(1, c.createArrayOf("uuid", chunk.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Observations.Ticket t = byId.get(rs.getObject(1, UUID.class));
                        t.notifyDecidedAt = rs.getTimestamp(2).toInstant();
                        Timestamp sent = rs.getTimestamp(3);
                        t.notifiedAt = sent == null ? null : sent.toInstant();
                    }
                }
            }
        }
    }

    /**
     * How many tickets received since {@code since} are armed, and how many have a notification sent,
     * so far (for the drain's progress: cheap counts by time, not by id; on a database other traffic
     * shares they are an upper bound, the figures themselves come from {@link #fill}).
     */
    public int[] progress(Instant since) throws SQLException {
        Timestamp from = Timestamp.from(since);
        int armed;
        int notified;
        try (PreparedStatement ps = c.prepareStatement(
                "select count(*) from sla.processed_event where event_type = 'ticket.received' and processed_at >= ?")) {
            ps.setTimestamp(1, from);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                armed = rs.getInt(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("select count(distinct ticket_id) from notification.notification"
                + " where created_at >= ? and sent_at is not null and event_type = 'assignment.created'")) {
            ps.setTimestamp(1, from);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                notified = rs.getInt(1);
            }
        }
        return new int[] {armed, notified};
    }

    /** Notifications of this run's tickets by event type, channel and status (for the report). */
    public Map<String, Long> notificationMix(List<Observations.Ticket> tickets) throws SQLException {
        Map<String, Long> out = new java.util.TreeMap<>();
        List<UUID> ids = tickets.stream().map(t -> t.id).toList();
        try (PreparedStatement ps = c.prepareStatement("select event_type, channel, status, count(*)"
                + " from notification.notification where ticket_id = any(?) group by 1, 2, 3")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3), rs.getLong(4));
                }
            }
        }
        return out;
    }

    /** The server's version and the settings that bound commits. */
    public String serverInfo() {
        try (PreparedStatement ps = c.prepareStatement("select version(), current_setting('synchronous_commit'),"
                + " current_setting('fsync'), current_setting('shared_buffers'), current_setting('max_connections')");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1).replaceAll(" on x86_64.*", "") + " (synchronous_commit=" + rs.getString(2)
                    + ", fsync=" + rs.getString(3) + ", shared_buffers=" + rs.getString(4) + ", max_connections="
                    + rs.getString(5) + ")";
        } catch (SQLException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws SQLException {
        c.close();
    }
}

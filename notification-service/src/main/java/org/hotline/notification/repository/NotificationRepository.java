package org.hotline.notification.repository;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.hibernate.Session;
import org.hotline.backbone.jdbc.ShortTransaction;
import org.hotline.notification.model.Channel;
import org.hotline.notification.model.DeliveryStatus;
import org.hotline.notification.model.Notification;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The notification rows: the API's reads, the console's, and the delivery worker's claims, leases
 * and outcomes. The delivery path is plain JDBC, one statement per step (the claim, with its plan
 * settings in one short transaction, returning what to send; the outcome, and the fenced renewal
 * when one is needed, in autocommit): it runs for every row sent, and the entity version (a transaction per step, a SELECT FOR UPDATE and a
 * dirty-checked flush per outcome) spent most of the worker's CPU.
 */
@ApplicationScoped
public class NotificationRepository implements PanacheRepositoryBase<Notification, UUID> {

    @Inject
    AgroalDataSource dataSource;

    /** Any of the filters may be null; {@code recipient} limits a field member to his own messages. */
    public List<Notification> search(UUID ticketId, DeliveryStatus status, String street, String recipient, int limit) {
        StringBuilder q = new StringBuilder("1 = 1");
        Parameters p = new Parameters();
        if (ticketId != null) {
            q.append(" and ticketId = :ticket");
            p.and("ticket", ticketId);
        }
        if (status != null) {
            q.append(" and status = :status");
            p.and("status", status);
        }
        if (street != null) {
            q.append(" and street = :street");
            p.and("street", street);
        }
        if (recipient != null) {
            q.append(" and recipient = :recipient");
            p.and("recipient", recipient);
        }
        // one ticket: its story, oldest first; a status or street: the latest first
        String order = ticketId != null ? " order by seq" : " order by seq desc";
        return find(q + order, p).page(Page.ofSize(limit)).list();
    }

    /**
     * Writes new rows in the caller's transaction, in one statement, in list order: {@code seq}
     * (the table's sequence) numbers them in that order, which is the order a recipient's queue is
     * delivered in. Rows were persisted as entities one INSERT each, which with the reads around
     * them made most of the consumer's statements.
     */
    public void insert(List<Notification> rows) {
        if (rows.isEmpty()) {
            return;
        }
        getEntityManager().unwrap(Session.class).doWork(c -> {
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                ps.setArray(1, TextArrays.of(c, rows, n -> n.id));
                ps.setArray(2, TextArrays.of(c, rows, n -> n.ticketId));
                ps.setArray(3, TextArrays.of(c, rows, n -> n.eventId));
                ps.setArray(4, TextArrays.of(c, rows, n -> n.eventType));
                ps.setArray(5, TextArrays.of(c, rows, n -> n.eventTime));
                ps.setArray(6, TextArrays.of(c, rows, n -> n.street));
                ps.setArray(7, TextArrays.of(c, rows, n -> n.recipient));
                ps.setArray(8, TextArrays.of(c, rows, n -> n.recipientName));
                ps.setArray(9, TextArrays.of(c, rows, n -> n.recipientRole));
                ps.setArray(10, TextArrays.of(c, rows, n -> n.channel));
                ps.setArray(11, TextArrays.of(c, rows, n -> n.address));
                ps.setArray(12, TextArrays.of(c, rows, n -> n.text));
                ps.setArray(13, TextArrays.of(c, rows, n -> n.body));
                ps.setArray(14, TextArrays.of(c, rows, n -> n.status));
                ps.setArray(15, TextArrays.of(c, rows, n -> n.attempts));
                ps.setArray(16, TextArrays.of(c, rows, n -> n.nextAttemptAt));
                ps.setArray(17, TextArrays.of(c, rows, n -> n.priority));
                ps.setArray(18, TextArrays.of(c, rows, n -> n.createdAt));
                ps.executeUpdate();
            }
        });
    }

    /** unnest yields its rows in array order, and the insert draws {@code seq} for them in that order. */
    static final String INSERT = """
            insert into notification (id, ticket_id, event_id, event_type, event_time, street, recipient,
                                      recipient_name, recipient_role, channel, address, text, body, status, attempts,
                                      next_attempt_at, priority, created_at)
            select * from unnest(cast(? as uuid[]), cast(? as uuid[]), cast(? as text[]), cast(? as text[]),
                                 cast(? as timestamptz[]), cast(? as text[]), cast(? as text[]), cast(? as text[]),
                                 cast(? as text[]), cast(? as text[]), cast(? as text[]), cast(? as text[]),
                                 cast(? as text[]), cast(? as text[]), cast(? as int[]), cast(? as timestamptz[]),
                                 cast(? as smallint[]), cast(? as timestamptz[]))""";

    /** The CONSOLE rows an event made, in the order they were written. */
    public List<Notification> consoleRowsOf(String eventId) {
        return list("eventId = ?1 and channel = ?2 order by createdAt", eventId, Channel.CONSOLE);
    }

    /**
     * Claims at most {@code limit} due rows of these channels for {@code token} until {@code lease},
     * in one short transaction: the rows are locked and skipped by other claimers ({@code SKIP
     * LOCKED}), leased and committed before any call. Urgent rows first, then by due time. A row
     * waits while an earlier open row (lower seq) of the same ticket, recipient and channel exists,
     * so a claim holds only the head of each such queue. Returns the claimed rows as they are now
     * (detached, read-only): what to send, read in the claim's own statement.
     */
    public List<Notification> claim(Instant now, List<String> channels, int limit, UUID token, Instant lease) {
        try {
            return ShortTransaction.run(dataSource, c -> {
                try (Statement s = c.createStatement()) {
                    s.execute(CLAIM_PLAN);
                }
                List<Notification> rows = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
                    bindClaim(ps, c, now, channels, limit, token, lease);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            rows.add(leased(rs, token, lease));
                        }
                    }
                }
                return rows;
            });
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    /**
     * The claim's plan, fixed whatever the table's statistics say: walk {@code notification_claim}
     * in its order and stop when the claim is full, each row's head check an index probe. A live
     * run's burst (0 to 20,000 rows within two minutes, faster than autovacuum's analyze) left
     * statistics that made the planner walk and sort the whole backlog for every claim (86 ms to
     * seconds each), and delivery collapsed. {@code SET LOCAL}: these hold for the claim's own
     * transaction only, never for the pooled connection's next user.
     */
    static final String CLAIM_PLAN = "set local enable_sort = off; set local enable_incremental_sort = off;"
            + " set local enable_seqscan = off; set local enable_bitmapscan = off;"
            + " set local enable_hashjoin = off; set local enable_mergejoin = off";

    /** What a claim and a renewal return of a row they lease: what its send needs ({@link #leased}). */
    static final String LEASED_COLUMNS = "n.id, n.ticket_id, n.event_id, n.event_type, n.event_time, n.street,"
            + " n.recipient, n.recipient_name, n.recipient_role, n.channel, n.address, n.text, n.body, n.attempts,"
            + " n.status, n.created_at, n.seq";

    /**
     * The priority list on the index's leading column makes the scan walk each priority's due range
     * in order (urgent first); the head check is a scalar subquery, so it stays a per-row index
     * probe of {@code notification_order} and is never planned as a join over the whole backlog;
     * the update finds the claimed rows by their ids in one primary-key probe (a join there could
     * be planned as a walk of the whole primary key).
     */
    static final String CLAIM = """
            with due as (
              select n.id from notification n
               where n.status in ('PENDING', 'RETRYING') and n.priority in (%d, %d)
                 and n.next_attempt_at <= ? and n.channel = any(?)
                 and n.seq = (select e.seq from notification e
                               where e.ticket_id = n.ticket_id and e.recipient = n.recipient
                                 and e.channel = n.channel and e.status in ('PENDING', 'RETRYING')
                               order by e.seq limit 1)
               order by n.priority, n.next_attempt_at, n.seq
               limit ?
               for update of n skip locked)
            update notification n set next_attempt_at = ?, claim_token = ?
             where n.id = any(array(select id from due))
            returning %s""".formatted(Notification.URGENT, Notification.ROUTINE, LEASED_COLUMNS);

    static void bindClaim(PreparedStatement ps, Connection c, Instant now, List<String> channels, int limit, UUID token,
            Instant lease) throws SQLException {
        ps.setObject(1, utc(now));
        ps.setArray(2, c.createArrayOf("text", channels.toArray()));
        ps.setInt(3, limit);
        ps.setObject(4, utc(lease));
        ps.setObject(5, token);
    }

    /**
     * The fenced renewal before a call the claim's lease no longer covers (see {@code DeliveryLeases}):
     * moves the lease of an open row still held by this claim and returns the row as it is
     * (detached, read-only), in one autocommitted statement; null when the row is no longer this
     * claim's (sent, dead, re-claimed by another worker).
     */
    public Notification renew(UUID id, UUID token, Instant lease) {
        return jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("update notification n set next_attempt_at = ?"
                    + " where id = ? and claim_token = ? and status in ('PENDING', 'RETRYING') returning "
                    + LEASED_COLUMNS)) {
                ps.setObject(1, utc(lease));
                ps.setObject(2, id);
                ps.setObject(3, token);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? leased(rs, token, lease) : null;
                }
            }
        });
    }

    private static Notification leased(ResultSet rs, UUID token, Instant lease) throws SQLException {
        Notification n = new Notification();
        n.id = rs.getObject(1, UUID.class);
        n.claimToken = token;
        n.nextAttemptAt = lease;
        n.ticketId = rs.getObject(2, UUID.class);
        n.eventId = rs.getString(3);
        n.eventType = rs.getString(4);
        n.eventTime = instant(rs, 5);
        n.street = rs.getString(6);
        n.recipient = rs.getString(7);
        n.recipientName = rs.getString(8);
        n.recipientRole = rs.getString(9);
        n.channel = Channel.valueOf(rs.getString(10));
        n.address = rs.getString(11);
        n.text = rs.getString(12);
        n.body = rs.getString(13);
        n.attempts = rs.getInt(14);
        n.status = DeliveryStatus.valueOf(rs.getString(15));
        n.createdAt = instant(rs, 16);
        n.seq = rs.getLong(17);
        return n;
    }

    /** Records a successful attempt ({@code attempts} in all) if the row is still this claim's; false otherwise. */
    public boolean recordSent(UUID id, UUID token, int attempts, Instant attemptAt, Instant sentAt) {
        return fenced("status = 'SENT', attempts = ?, last_attempt_at = ?, sent_at = ?, next_attempt_at = null",
                id, token, attempts, utc(attemptAt), utc(sentAt));
    }

    /**
     * Records a failed attempt ({@code attempts} in all) as RETRYING at {@code next}, or DEAD (next
     * null), if the row is still this claim's; false otherwise.
     */
    public boolean recordFailed(UUID id, UUID token, DeliveryStatus status, int attempts, Instant attemptAt,
            String error, Instant next) {
        return fenced("status = ?, attempts = ?, last_attempt_at = ?, last_error = ?, next_attempt_at = ?", id, token,
                status.name(), attempts, utc(attemptAt), error, next == null ? null : utc(next));
    }

    /** Puts an unattempted row back until {@code retryAt} (its attempts unchanged) if it is still this claim's. */
    public boolean defer(UUID id, UUID token, Instant retryAt, String error) {
        return fenced("next_attempt_at = ?, last_error = ?", id, token, utc(retryAt), error);
    }

    /**
     * One guarded UPDATE, autocommitted: it changes the row only while it is open and carries this
     * claim's token, and a count of 1 means the outcome is committed.
     */
    private boolean fenced(String set, UUID id, UUID token, Object... values) {
        return jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("update notification set " + set
                    + " where id = ? and claim_token = ? and status in ('PENDING', 'RETRYING')")) {
                int i = 1;
                for (Object v : values) {
                    ps.setObject(i++, v);
                }
                ps.setObject(i++, id);
                ps.setObject(i, token);
                return ps.executeUpdate() > 0;
            }
        });
    }

    /**
     * Runs outside any transaction on a pooled connection in autocommit: each statement of the
     * delivery path is its own transaction, with no BEGIN/COMMIT round trips and no entity work.
     */
    private <T> T jdbc(ShortTransaction.Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failed(e);
        }
    }

    private static IllegalStateException failed(SQLException e) {
        return new IllegalStateException("notification delivery statement failed: " + e.getMessage(), e);
    }

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** The earliest next attempt of an open row after {@code now}; null when none waits. */
    public Instant nextAttemptAfter(Instant now) {
        return jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("select min(next_attempt_at) from notification"
                    + " where status in ('PENDING', 'RETRYING') and next_attempt_at > ?")) {
                ps.setObject(1, utc(now));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return instant(rs, 1);
                }
            }
        });
    }
}

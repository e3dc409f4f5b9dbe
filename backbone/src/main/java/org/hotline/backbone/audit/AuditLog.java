package org.hotline.backbone.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

import org.hotline.backbone.worker.GroupCommit;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Writes and reads the service's {@code audit_log} (append-only: the table's triggers refuse changes). */
@ApplicationScoped
public class AuditLog {

    private final DataSource dataSource;
    private final GroupCommit<List<AuditEntry>, Void> writes;

    public AuditLog(DataSource dataSource, MeterRegistry registry) {
        this.dataSource = dataSource;
        // one lane: a group's entries are one JDBC batch, far cheaper than the actions they record
        this.writes = new GroupCommit<>("audit", 1, 256, this::insert, GroupCommit.Transactions.JTA, registry);
    }

    /** With the outbox relay and the consumers, before the datasource goes: the groups in flight finish. */
    void stop(@Observes ShutdownEvent event) {
        writes.stop(5_000);
    }

    /**
     * Writes the entries of one action after it has committed or failed; completes once they are
     * durable. Entries of actions finishing at the same time share one transaction (group commit):
     * an audit row per request would otherwise cost a commit per request.
     */
    public CompletableFuture<Void> append(List<AuditEntry> entries) {
        return writes.submit(entries);
    }

    private List<Void> insert(List<List<AuditEntry>> groups) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("insert into audit_log (at, actor, roles, action, ticket_id, status, client) "
                        + "values (?, ?, ?, ?, ?, ?, ?)")) {
            for (List<AuditEntry> entries : groups) {
                for (AuditEntry e : entries) {
                    ps.setTimestamp(1, Timestamp.from(e.at()));
                    ps.setString(2, e.actor());
                    ps.setString(3, e.roles());
                    ps.setString(4, e.action());
                    ps.setString(5, e.ticketId());
                    ps.setInt(6, e.status());
                    ps.setString(7, e.client());
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
        return java.util.Collections.nCopies(groups.size(), null); // nothing to answer but "written"
    }

    /** Newest first; either filter may be null; {@code before} pages back by id. */
    public List<AuditEntry> find(String ticketId, String actor, Long before, int limit) {
        StringBuilder sql = new StringBuilder("select id, at, actor, roles, action, ticket_id, status, client from audit_log where true");
        List<Object> args = new ArrayList<>();
        if (ticketId != null) {
            sql.append(" and ticket_id = ?");
            args.add(ticketId);
        }
        if (actor != null) {
            sql.append(" and actor = ?");
            args.add(actor);
        }
        if (before != null) {
            sql.append(" and id < ?");
            args.add(before);
        }
        sql.append(" order by id desc limit ?");
        args.add(limit);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<AuditEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AuditEntry(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getInt(7), rs.getString(8)));
                }
            }
            return out;
        } catch (SQLException ex) {
            throw new IllegalStateException("audit log not readable", ex);
        }
    }
}

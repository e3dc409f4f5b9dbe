package org.hotline.backbone.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.hibernate.Session;

import jakarta.persistence.EntityManager;

/**
 * Plain JDBC selects on the transaction's connection, for the hot path. Hibernate caches an
 * interpretation of every native select, and its cache keys for native selects with a scalar
 * result did not compare equal between executions while their hashes did: every execution added
 * an entry to one hash bin of the cache and searched it (intake's benchmark profile: ~28 % of the
 * service's CPU; dispatch's batch lookup of received tickets: 7 % of its samples in the end-to-end
 * run). JDBC has no such cache. (Hibernate does not auto-flush before these: callers query only
 * rows flushed or committed earlier.)
 */
public final class JdbcSelect {

    private JdbcSelect() {
    }

    /** The rows of a select, each as an Object[] of its columns. */
    public static List<Object[]> rows(EntityManager em, String sql, Object... params) {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    Object p = params[i];
                    ps.setObject(i + 1, p instanceof Instant in ? OffsetDateTime.ofInstant(in, ZoneOffset.UTC) : p);
                }
                List<Object[]> rows = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        Object[] row = new Object[n];
                        for (int c = 0; c < n; c++) {
                            row[c] = rs.getObject(c + 1);
                        }
                        rows.add(row);
                    }
                }
                return rows;
            }
        });
    }
}

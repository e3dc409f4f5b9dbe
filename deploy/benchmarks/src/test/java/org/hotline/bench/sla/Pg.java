package org.hotline.bench.sla;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.hotline.backbone.testing.TestInfra;

/** Plain JDBC against the shared PostgreSQL server. */
final class Pg {

    private Pg() {
    }

    static Connection connect(String database, String schema) throws SQLException {
        String url = TestInfra.jdbcUrl(database) + "?ApplicationName=timer-benchmark"
                + (schema == null ? "" : "&currentSchema=" + schema);
        return DriverManager.getConnection(url, TestInfra.pgUser(), TestInfra.pgPassword());
    }

    static String url(String database) {
        return TestInfra.jdbcUrl(database);
    }

    static OffsetDateTime ts(Instant i) {
        return OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    private static void bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            ps.setObject(i + 1, p instanceof Instant in ? ts(in) : p);
        }
    }

    static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        }
    }

    static long queryLong(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static String queryString(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    static boolean queryExists(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** First column of every row, as long (nulls skipped). */
    static long[] queryLongs(Connection c, String sql, Object... params) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long v = rs.getLong(1);
                    if (!rs.wasNull()) {
                        out.add(v);
                    }
                }
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    static List<String> queryLines(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Runs a script of ';'-separated statements (no ';' inside them), skipping comments and COMMIT. */
    static void script(Connection c, String script) throws SQLException {
        StringBuilder clean = new StringBuilder();
        for (String line : script.split("\n")) {
            String t = line.strip();
            if (!t.startsWith("--")) {
                clean.append(line).append('\n');
            }
        }
        try (Statement s = c.createStatement()) {
            for (String stmt : clean.toString().split(";")) {
                String t = stmt.strip();
                if (!t.isEmpty() && !t.equalsIgnoreCase("commit")) {
                    s.execute(t);
                }
            }
        }
    }

    /** VACUUM ANALYZE (outside a transaction), as autovacuum would have done by the time it matters. */
    static void vacuumAnalyze(String database, String schema, String... tables) throws SQLException {
        try (Connection c = connect(database, schema); Statement s = c.createStatement()) {
            for (String t : tables) {
                s.execute("vacuum analyze " + t);
            }
        }
    }

    /** ANALYZE only: fresh statistics after a bulk insert, as autovacuum would gather them soon after. */
    static void analyze(String database, String schema, String... tables) throws SQLException {
        try (Connection c = connect(database, schema); Statement s = c.createStatement()) {
            for (String t : tables) {
                s.execute("analyze " + t);
            }
        }
    }

    /** A checkpoint, so the WAL of a bulk load is not flushed during the measurement that follows. */
    static void checkpoint() throws SQLException {
        try (Connection c = connect("postgres", null); Statement s = c.createStatement()) {
            s.execute("checkpoint");
        }
    }
}

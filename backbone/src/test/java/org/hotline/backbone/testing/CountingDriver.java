package org.hotline.backbone.testing;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * PostgreSQL's JDBC driver with every statement the service sends counted, by the thread that sent
 * it and the statement's text: Hibernate's and plain JDBC's alike (the outbox and other set-based
 * writes use plain JDBC, which Hibernate's statistics never see), on the test thread and on the
 * service's worker threads. A service's test switches to it with the {@link CountedStatements}
 * profile and reads {@link #snapshot()}.
 *
 * <p>Two figures for each statement text, because a JDBC batch is one round trip carrying many rows:
 * <ul>
 * <li><b>sent</b>: round trips. Each {@code execute…} call is one; a JDBC batch is one per
 * {@code executeBatch} call, however many rows it carries (the driver pipelines them and waits
 * once), counted under the batch's first statement text;</li>
 * <li><b>rows</b>: each {@code execute…} call is one; each row added with {@code addBatch} is one
 * (counted when the batch is executed).</li>
 * </ul>
 * Outside batches the two are equal. A test states which one it asserts.
 *
 * <p>COMMIT and ROLLBACK count (one each way) when the transaction ran a statement: they are a round
 * trip each. Not seen: BEGIN (the driver sends it with the transaction's first statement, no round
 * trip of its own), the driver's own lookups (types, column metadata) and the pool's validation.
 * A statement that fails counts too: it was sent.
 */
public class CountingDriver implements Driver {

    private static final Set<String> EXECUTIONS = Set.of("execute", "executeQuery", "executeUpdate",
            "executeLargeUpdate");
    private static final Set<String> BATCH_EXECUTIONS = Set.of("executeBatch", "executeLargeBatch");

    private static final Map<StatementCounts.Key, LongAdder[]> COUNTS = new ConcurrentHashMap<>();

    private final Driver real = new org.postgresql.Driver();

    /** Statements counted since the last {@link #reset()}, on every thread. */
    public static StatementCounts snapshot() {
        List<StatementCounts.Count> counts = new ArrayList<>();
        COUNTS.forEach((k, v) -> counts.add(new StatementCounts.Count(k.thread(), k.sql(), v[0].sum(), v[1].sum())));
        return new StatementCounts(counts);
    }

    public static void reset() {
        COUNTS.clear();
    }

    private static void count(String sql, long sent, long rows) {
        String text = sql == null ? "?" : sql.replaceAll("\\s+", " ").trim();
        LongAdder[] tally = COUNTS.computeIfAbsent(new StatementCounts.Key(Thread.currentThread().getName(), text),
                k -> new LongAdder[] { new LongAdder(), new LongAdder() });
        tally[0].add(sent);
        tally[1].add(rows);
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        Connection c = real.connect(url, info);
        return c == null ? null : new Counted(c).proxy;
    }

    /** A connection: its statements are counted, and its COMMIT or ROLLBACK when it ran any. */
    private static final class Counted implements InvocationHandler {
        final Connection real;
        final Connection proxy;
        boolean inTransaction; // a statement ran since the last commit or rollback, outside autocommit

        Counted(Connection real) {
            this.real = real;
            this.proxy = (Connection) Proxy.newProxyInstance(CountingDriver.class.getClassLoader(),
                    new Class<?>[] { Connection.class }, this);
        }

        @Override
        public Object invoke(Object p, Method m, Object[] args) throws Throwable {
            String name = m.getName();
            if (name.equals("equals")) {
                return p == args[0];
            }
            if (name.startsWith("prepare") && args != null && args[0] instanceof String sql) {
                Class<?> type = name.equals("prepareCall") ? CallableStatement.class : PreparedStatement.class;
                return new CountedStatement(this, (Statement) call(m, real, args), sql).proxy(type);
            }
            if (name.equals("createStatement")) {
                return new CountedStatement(this, (Statement) call(m, real, args), null).proxy(Statement.class);
            }
            boolean ends = (name.equals("commit") || name.equals("rollback")) && args == null
                    || name.equals("setAutoCommit") && Boolean.TRUE.equals(args[0]) && !real.getAutoCommit();
            Object result = call(m, real, args);
            if (ends && inTransaction) { // the driver sends nothing for a transaction that ran nothing
                inTransaction = false;
                count(name.equals("rollback") ? "ROLLBACK" : "COMMIT", 1, 1);
            }
            return result;
        }

        void executing() {
            try {
                inTransaction |= !real.getAutoCommit();
            } catch (SQLException closed) {
                // the statement itself will fail the same way
            }
        }
    }

    /** A statement: each execution counted, a batch once sent with all its rows. */
    private static final class CountedStatement implements InvocationHandler {
        final Counted connection;
        final Statement real;
        final String sql; // a prepared statement's text; null for a plain statement
        final List<String> batch = new ArrayList<>(); // each added row's text

        CountedStatement(Counted connection, Statement real, String sql) {
            this.connection = connection;
            this.real = real;
            this.sql = sql;
        }

        Object proxy(Class<?> type) {
            return Proxy.newProxyInstance(CountingDriver.class.getClassLoader(), new Class<?>[] { type }, this);
        }

        @Override
        public Object invoke(Object p, Method m, Object[] args) throws Throwable {
            String name = m.getName();
            if (name.equals("equals")) {
                return p == args[0];
            }
            if (name.equals("getConnection")) {
                return connection.proxy; // statements made from it are counted too
            }
            if (name.equals("addBatch")) {
                batch.add(args != null && args[0] instanceof String text ? text : sql);
            } else if (name.equals("clearBatch")) {
                batch.clear();
            } else if (BATCH_EXECUTIONS.contains(name) && !batch.isEmpty()) {
                connection.executing();
                count(batch.get(0), 1, 0);
                batch.forEach(text -> count(text, 0, 1));
                batch.clear();
            } else if (EXECUTIONS.contains(name)) {
                connection.executing();
                count(args != null && args.length > 0 && args[0] instanceof String text ? text : sql, 1, 1);
            }
            return call(m, real, args);
        }
    }

    private static Object call(Method m, Object target, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Override
    public boolean acceptsURL(String url) throws SQLException {
        return real.acceptsURL(url);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
        return real.getPropertyInfo(url, info);
    }

    @Override
    public int getMajorVersion() {
        return real.getMajorVersion();
    }

    @Override
    public int getMinorVersion() {
        return real.getMinorVersion();
    }

    @Override
    public boolean jdbcCompliant() {
        return real.jdbcCompliant();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return real.getParentLogger();
    }
}

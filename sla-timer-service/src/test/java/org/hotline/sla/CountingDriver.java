package org.hotline.sla;

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
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * PostgreSQL's JDBC driver with every statement execution counted, by the thread that ran it and
 * the statement's text (a JDBC batch counts once: one round trip). Only for
 * {@link StatementsPerTicketTest}: every statement reaches the count, Hibernate's or not (the
 * outbox writes with plain JDBC, which Hibernate's statistics never see).
 */
public class CountingDriver implements Driver {

    private static final Set<String> EXECUTIONS = Set.of("execute", "executeQuery", "executeUpdate",
            "executeLargeUpdate", "executeBatch", "executeLargeBatch");

    private static final Map<String, LongAdder> COUNTS = new ConcurrentHashMap<>();

    private final Driver real = new org.postgresql.Driver();

    /** Executions so far, by "thread group | statement" (thread names without their number). */
    public static Map<String, Long> snapshot() {
        Map<String, Long> s = new TreeMap<>();
        COUNTS.forEach((k, v) -> s.put(k, v.sum()));
        return s;
    }

    public static void reset() {
        COUNTS.clear();
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        Connection c = real.connect(url, info);
        return c == null ? null : (Connection) proxy(Connection.class, c, null);
    }

    private static Object proxy(Class<?> type, Object target, String sql) {
        InvocationHandler h = (p, m, args) -> {
            if (target instanceof Connection && m.getName().startsWith("prepare") && args != null
                    && args[0] instanceof String text) {
                Object st = invoke(m, target, args);
                return proxy(m.getName().equals("prepareCall") ? CallableStatement.class : PreparedStatement.class, st,
                        text);
            }
            if (target instanceof Connection && m.getName().equals("createStatement")) {
                return proxy(Statement.class, invoke(m, target, args), null);
            }
            if (target instanceof Statement && EXECUTIONS.contains(m.getName())) {
                count(args != null && args.length > 0 && args[0] instanceof String text ? text : sql);
            }
            return invoke(m, target, args);
        };
        return Proxy.newProxyInstance(CountingDriver.class.getClassLoader(), new Class<?>[] { type }, h);
    }

    private static Object invoke(Method m, Object target, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static void count(String sql) {
        String thread = Thread.currentThread().getName().replaceAll("\\d+$", "#");
        String text = sql == null ? "?" : sql.replaceAll("\\s+", " ").trim();
        COUNTS.computeIfAbsent(thread + " | " + (text.length() > 110 ? text.substring(0, 110) : text),
                k -> new LongAdder()).increment();
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

package org.hotline.dispatch;

import java.text.MessageFormat;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.agroal.api.AgroalDataSource;

/**
 * Counts the SQL statements this thread sends to PostgreSQL, by statement text, as the JDBC driver
 * itself logs them (its protocol trace: every Execute, whether it came from Hibernate, plain JDBC
 * or the transaction's BEGIN/COMMIT; each row of a JDBC batch is one). Only the calling thread's
 * statements count: the service's workers (relay, ack worker, metrics) run beside the test.
 * Counting starts on a fresh connection pool, so every statement's text is seen (a statement the
 * driver prepared on a connection earlier is executed by name alone).
 */
final class SqlStatements implements AutoCloseable {

    private static final Logger DRIVER = Logger.getLogger("org.postgresql.core.v3.QueryExecutorImpl");

    private final Thread thread = Thread.currentThread();
    private final Map<String, String> prepared = new HashMap<>();
    private final Map<String, Integer> executed = new LinkedHashMap<>();
    private final Level level = DRIVER.getLevel();
    private final boolean parents = DRIVER.getUseParentHandlers();
    private String bound = "";
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (Thread.currentThread() == thread) {
                seen(r.getParameters() == null ? r.getMessage() : MessageFormat.format(r.getMessage(), r.getParameters()));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private SqlStatements(AgroalDataSource pool) {
        pool.flush(AgroalDataSource.FlushMode.GRACEFUL); // idle ones now, busy ones (the service's workers') when returned
        DRIVER.setUseParentHandlers(false); // the trace is counted, not printed
        DRIVER.addHandler(handler);
        DRIVER.setLevel(Level.FINEST);
    }

    /** Starts counting this thread's statements. */
    static SqlStatements count(AgroalDataSource pool) {
        return new SqlStatements(pool);
    }

    private synchronized void seen(String line) {
        String l = line.strip();
        if (l.startsWith("FE=> Parse(stmt=")) {
            int q = l.indexOf(",query=\"");
            String name = l.substring("FE=> Parse(stmt=".length(), q);
            prepared.put(name, l.substring(q + ",query=\"".length(), l.lastIndexOf("\",oids=")));
        } else if (l.startsWith("FE=> Bind(stmt=")) {
            bound = l.substring("FE=> Bind(stmt=".length(), l.indexOf(",portal="));
        } else if (l.startsWith("FE=> Execute(")) {
            executed.merge(prepared.getOrDefault(bound, "?"), 1, Integer::sum);
        } else if (l.startsWith("FE=> SimpleQuery(query=\"")) {
            executed.merge(l.substring("FE=> SimpleQuery(query=\"".length(), l.length() - 2), 1, Integer::sum);
        }
    }

    /** Statements executed so far. */
    synchronized int total() {
        return executed.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Executions per statement text, in the order first seen. */
    synchronized Map<String, Integer> byStatement() {
        return new LinkedHashMap<>(executed);
    }

    /** One line per statement: count and the statement's start. */
    synchronized String report() {
        StringBuilder out = new StringBuilder();
        executed.forEach((sql, n) -> out.append(String.format("%5d  %s%n", n,
                sql.replaceAll("\\s+", " ").substring(0, Math.min(140, sql.replaceAll("\\s+", " ").length())))));
        return out.append(String.format("%5d  total%n", total())).toString();
    }

    @Override
    public void close() {
        DRIVER.setLevel(level);
        DRIVER.removeHandler(handler);
        DRIVER.setUseParentHandlers(parents);
    }
}

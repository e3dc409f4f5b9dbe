package org.hotline.bench.sla;

import java.sql.Connection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.hotline.backbone.testing.TestInfra;

/**
 * Databases and processes this run created; a shutdown hook removes whatever is left, so an
 * exception, the watchdog or Ctrl-C never leaves a service running or a database behind.
 */
final class Cleanup {

    static final String DB_PREFIX = "timerbench_";
    private static final Set<String> DATABASES = ConcurrentHashMap.newKeySet();
    private static final Set<Process> PROCESSES = ConcurrentHashMap.newKeySet();

    private Cleanup() {
    }

    static void install() {
        Runtime.getRuntime().addShutdownHook(new Thread(Cleanup::runAll, "bench-cleanup"));
    }

    /** Drops databases an earlier, killed run of this benchmark left behind (only ours: timerbench_*). */
    static void dropLeftovers() {
        try (Connection c = Pg.connect("postgres", null)) {
            List<String> old = Pg.queryLines(c, "select datname from pg_database where datname ~ '^"
                    + DB_PREFIX + "(ours|dbscheduler|quartz)_[0-9a-f]{8}$'");
            for (String db : old) {
                Log.info("dropping leftover database " + db);
                TestInfra.dropDatabase(db);
            }
        } catch (Exception e) {
            Log.info("could not look for leftover databases: " + e);
        }
    }

    static String database(String system) {
        String db = TestInfra.createDatabase(DB_PREFIX + system);
        DATABASES.add(db);
        Log.info("created database " + db);
        String autoExplainMs = System.getProperty("bench.autoExplainMs");
        if (autoExplainMs != null) {
            // diagnostics only: plans of statements slower than this go to the PostgreSQL server log
            try (Connection c = Pg.connect("postgres", null); java.sql.Statement st = c.createStatement()) {
                st.execute("alter database " + db + " set session_preload_libraries = 'auto_explain'");
                st.execute("alter database " + db + " set auto_explain.log_min_duration = '"
                        + Integer.parseInt(autoExplainMs) + "ms'");
                Log.info("auto_explain on for " + db + " (statements over " + autoExplainMs + " ms)");
            } catch (Exception e) {
                Log.info("auto_explain not set: " + e);
            }
        }
        return db;
    }

    static void drop(String db) {
        try {
            TestInfra.dropDatabase(db);
            Log.info("dropped database " + db);
        } catch (Exception e) {
            Log.info("could not drop " + db + ": " + e);
        }
        DATABASES.remove(db);
    }

    static void track(Process p) {
        PROCESSES.add(p);
    }

    static void untrack(Process p) {
        PROCESSES.remove(p);
    }

    private static void runAll() {
        for (Process p : PROCESSES) {
            p.destroyForcibly();
        }
        for (String db : DATABASES) {
            drop(db);
        }
    }
}

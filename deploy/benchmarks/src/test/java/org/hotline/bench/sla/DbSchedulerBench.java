package org.hotline.bench.sla;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.SchedulerClient.ScheduleOptions;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import org.hotline.backbone.testing.TestInfra;

/**
 * db-scheduler (one table, polling) in this JVM at its documented high-throughput settings:
 * lock-and-fetch polling, 32 threads, a pool to match; one one-time task whose handler does the
 * work our engine does per fire, one outbox row written and committed ({@link BenchOutbox}), and
 * records when that row was written.
 */
final class DbSchedulerBench {

    static final String VERSION = "16.12.0";
    static final String NAME = "db-scheduler " + VERSION;

    /** PostgreSQL table of db-scheduler 16.x (README / postgresql_tables.sql in its repository). */
    static final String DDL = """
            create table scheduled_tasks (
              task_name text not null,
              task_instance text not null,
              task_data bytea,
              execution_time timestamp with time zone not null,
              picked boolean not null,
              picked_by text,
              last_success timestamp with time zone,
              last_failure timestamp with time zone,
              consecutive_failures int,
              last_heartbeat timestamp with time zone,
              version bigint not null,
              priority smallint,
              primary key (task_name, task_instance)
            );
            create index execution_time_idx on scheduled_tasks (execution_time);
            create index last_heartbeat_idx on scheduled_tasks (last_heartbeat);
            create index priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc);
            """;

    private final BenchSettings s;
    private final SystemResult r = new SystemResult(BenchSettings.DB_SCHEDULER, NAME);
    private final FireRecorder rec;
    private String db;
    private HikariDataSource ds;
    private Scheduler scheduler;
    private OneTimeTask<Void> task;

    private DbSchedulerBench(BenchSettings s, int run) {
        this.s = s;
        r.run = run;
        this.rec = new FireRecorder(s.burstTimers, s.measuredTimers);
    }

    static SystemResult run(BenchSettings s, int run, List<SystemResult> sink) {
        DbSchedulerBench b = new DbSchedulerBench(s, run);
        sink.add(b.r);
        try {
            b.run();
        } catch (Exception e) {
            b.r.error = e.toString();
            Log.info("db-scheduler failed: " + e);
            e.printStackTrace(System.out);
        }
        return b.r;
    }

    private void run() throws Exception {
        db = Cleanup.database("dbscheduler");
        try {
            try (Connection c = Pg.connect(db, null)) {
                Pg.script(c, DDL);
                Pg.script(c, BenchOutbox.DDL);
            }
            HikariConfig hc = new HikariConfig();
            hc.setJdbcUrl(Pg.url(db));
            hc.setUsername(TestInfra.pgUser());
            hc.setPassword(TestInfra.pgPassword());
            hc.setMaximumPoolSize(s.poolSize);
            hc.setPoolName("db-scheduler");
            ds = new HikariDataSource(hc);
            task = Tasks.oneTime("bench-timer").execute((instance, ctx) -> {
                Instant due = ctx.getExecution().executionTime;
                Instant now = Instant.now();
                try (Connection c = ds.getConnection()) {
                    BenchOutbox.write(c, instance.getId(), due, now);
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
                rec.fired(instance.getId(), due.toEpochMilli(), now.toEpochMilli());
            });
            startScheduler();
            arm();
            Pg.vacuumAnalyze(db, null, "scheduled_tasks");
            try (Connection c = Pg.connect(db, null)) {
                burst(c);
                pending(c);
                measured(c);
            }
            if (rec.duplicates.get() > 0 || rec.unexpected.get() > 0) {
                r.note("handler saw " + rec.duplicates.get() + " duplicate and " + rec.unexpected.get()
                        + " unexpected executions");
            }
        } finally {
            if (scheduler != null) {
                scheduler.stop();
            }
            if (ds != null) {
                ds.close();
            }
            Cleanup.drop(db);
        }
    }

    private void startScheduler() {
        scheduler = Scheduler.create(ds, task)
                .threads(s.threads)
                .pollingInterval(s.dbSchedulerPolling)
                .pollUsingLockAndFetch(s.lockAndFetchLower, s.lockAndFetchUpper)
                .schedulerName(new SchedulerName.Fixed("bench"))
                .build();
        scheduler.start();
    }

    /** (a) SchedulerClient.schedule, one call per timer. */
    private void arm() {
        SchedulerClient client = SchedulerClient.Builder.create(ds, task).build();
        Instant base = Instant.now().plus(Duration.ofDays(1));
        long t0 = System.nanoTime();
        long cap = t0 + s.armCap.toNanos();
        int done = 0;
        for (int i = 0; i < s.armTimers; i++) {
            client.schedule(task.instance("a-" + i), base.plusMillis(i), ScheduleOptions.WHEN_EXISTS_DO_NOTHING);
            done++;
            if (System.nanoTime() > cap) {
                r.armCapped = true;
                break;
            }
        }
        r.armed = done;
        r.armSeconds = Util.secondsSince(t0);
        r.armMethod = "SchedulerClient.schedule(task.instance(id), time, WHEN_EXISTS_DO_NOTHING), one call (one autocommit insert) per timer";
        Log.info(String.format("db-scheduler: armed %d in %.2f s", done, r.armSeconds));
    }

    /** Bulk insert of n executions copied from the row schedule() wrote for a-0 (same task_data, version, priority). */
    private static final String BULK = "insert into scheduled_tasks (task_name, task_instance, task_data, execution_time,"
            + " picked, version, priority) select t.task_name, ? || x.g, t.task_data, x.due, false, t.version, t.priority"
            + " from (select * from scheduled_tasks where task_instance = 'a-0') t cross join (%s) x";

    private void burst(Connection c) throws Exception {
        int n = s.burstTimers;
        r.burstTarget = n;
        // time a 2% pilot (due tomorrow, stays pending) to put the due instant just far enough ahead
        int pilot = Util.pilotSize(n);
        long p0 = System.nanoTime();
        Pg.update(c, String.format(BULK, "select g, ?::timestamptz as due from generate_series(1, ?) g"), "c-",
                Instant.now().plus(Duration.ofDays(1)), pilot);
        Pg.analyze(db, null, "scheduled_tasks");
        Instant due = Util.dueAfter(Util.burstMargin(Util.secondsSince(p0), pilot, n));
        long t0 = System.nanoTime();
        Pg.update(c, String.format(BULK, "select g, ?::timestamptz as due from generate_series(1, ?) g"), "b-", due, n);
        Pg.analyze(db, null, "scheduled_tasks");
        r.burstInsertSeconds = Util.secondsSince(t0);
        Log.info(String.format("db-scheduler: burst of %d inserted in %.1f s, due at %s", n, r.burstInsertSeconds, due));
        Util.checkCommittedBefore(r, due, "burst insert");
        Util.sleepUntil(due);
        Instant cap = due.plus(s.burstCap);
        try (Probe probe = Probe.start(db, 0)) {
            while (rec.burst.get() < n && Instant.now().isBefore(cap)) {
                if (r.explain.isEmpty() && Instant.now().isAfter(due.plusSeconds(2))) {
                    r.explain.add("-- (b) 2 s into the burst: the select inside db-scheduler's lock-and-fetch UPDATE"
                            + " (limit = " + (int) (s.lockAndFetchUpper * s.threads) + ", run without FOR UPDATE):");
                    r.explain.addAll(Pg.queryLines(c, "explain (analyze, buffers) select st2.task_name, st2.task_instance"
                            + " from scheduled_tasks st2 where picked = false and execution_time <= now()"
                            + " order by execution_time asc limit " + (int) (s.lockAndFetchUpper * s.threads)));
                }
                Thread.sleep(20);
            }
            r.burstCpu = probe.cpu(r, "(b) burst");
            r.burstActivity.addAll(probe.topActivity(8));
        }
        r.burstFired = rec.burst.get();
        r.burstFirstSeconds = r.burstFired > 0 ? (rec.burstFirst.get() - due.toEpochMilli()) / 1000.0 : null;
        if (r.burstFired >= n) {
            r.burstSeconds = (rec.burstLast.get() - due.toEpochMilli()) / 1000.0;
        } else {
            r.burstCapped = true;
            r.burstSeconds = s.burstCap.toMillis() / 1000.0;
        }
        long rows = Pg.queryLong(c, "select count(*) from outbox_event");
        r.note(String.format("burst: %d outbox rows committed; the last written %.2f s after the due instant", rows,
                r.burstSeconds));
        Log.info(String.format("db-scheduler: burst %d/%d fired in %.2f s%s", r.burstFired, n, r.burstSeconds,
                r.burstCapped ? " (bound reached)" : ""));
        if (r.burstCapped) {
            scheduler.stop();
            int gone = Pg.update(c, "delete from scheduled_tasks where task_instance like 'b-%'");
            r.note("burst: stopped at the bound; " + gone + " unfired burst executions deleted before phase (c)");
            startScheduler();
        }
        Pg.vacuumAnalyze(db, null, "scheduled_tasks");
    }

    private void pending(Connection c) throws Exception {
        int chunk = 200_000;
        Instant base = Instant.now().plus(Duration.ofDays(2));
        long t0 = System.nanoTime();
        int done = 0;
        while (done < s.pendingTimers) {
            int k = Math.min(chunk, s.pendingTimers - done);
            Pg.update(c, String.format(BULK, "select g, ?::timestamptz + random() * interval '30 days' as due"
                    + " from generate_series(?, ?) g"), "p-", base, done + 1, done + k);
            done += k;
            if (done < s.pendingTimers && Util.secondsSince(t0) > s.pendingLoadCap.toSeconds()) {
                r.pendingCapped = true;
                r.note("pending load stopped at the " + s.pendingLoadCap.toSeconds() + " s bound");
                break;
            }
        }
        r.pendingLoadSeconds = Util.secondsSince(t0);
        Log.info(String.format("db-scheduler: %d pending inserted in %.1f s", done, r.pendingLoadSeconds));
        Pg.vacuumAnalyze(db, null, "scheduled_tasks");
        Pg.checkpoint();
        r.pending = Pg.queryLong(c, "select count(*) from scheduled_tasks where picked = false");
    }

    private void measured(Connection c) throws Exception {
        int n = s.measuredTimers;
        r.measuredTarget = n;
        Instant start = Util.dueAfter(Duration.ofSeconds(5));
        long stepMicros = s.measuredSpread.toNanos() / 1000 / n;
        Pg.update(c, String.format(BULK, "select g, ?::timestamptz + (g * ?::bigint) * interval '1 microsecond' as due"
                + " from generate_series(0, ?) g"), "m-", start, stepMicros, n - 1);
        Util.checkCommittedBefore(r, start, "measured insert");
        Log.info("db-scheduler: " + n + " measured due from " + start + ", " + r.pending + " pending");
        Util.sleepUntil(start);
        try (Probe probe = Probe.start(db, 0)) {
            Util.sleepUntil(start.plus(s.measuredSpread).plusMillis(300));
            Instant cap = start.plus(s.measuredSpread).plus(s.measuredGrace);
            while (rec.measured.get() < n && Instant.now().isBefore(cap)) {
                Thread.sleep(100);
            }
            r.latenessCpu = probe.cpu(r, "(c) lateness");
            r.latenessActivity.addAll(probe.topActivity(6));
        }
        long[] late = rec.measuredLateness();
        r.measuredFired = late.length;
        Util.lateness(r, late);
        Util.unfired(r, start, s.measuredSpread, Instant.now());
        Log.info("db-scheduler: measured " + late.length + "/" + n + " fired; lateness p50 " + r.p50 + " p99 " + r.p99
                + " max " + r.max + " ms");
    }
}

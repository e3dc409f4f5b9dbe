package org.hotline.bench.sla;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Properties;

import org.hotline.backbone.testing.TestInfra;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.DBConnectionManager;

/**
 * Quartz with the JDBC job store (JobStoreTX, PostgreSQLDelegate), clustered so that, like the
 * other two, several instances could share the tables; one job per timer with a one-shot
 * SimpleTrigger, as a Quartz user schedules a one-off deadline.
 */
final class QuartzBench {

    static final String VERSION = "2.5.2";
    static final String NAME = "Quartz " + VERSION + " (JobStoreTX)";
    private static final String GROUP = "bench";

    private static volatile FireRecorder recorder;

    /**
     * The job: the work our engine does per fire (one outbox row, committed, on Quartz's own pool;
     * {@link BenchOutbox}), then records when the row was written against the trigger's start
     * time (its due time).
     */
    public static final class BenchJob implements Job {
        @Override
        public void execute(JobExecutionContext ctx) throws JobExecutionException {
            String id = ctx.getJobDetail().getKey().getName();
            Instant due = ctx.getTrigger().getStartTime().toInstant();
            Instant now = Instant.now();
            try (Connection c = DBConnectionManager.getInstance().getConnection("bench")) {
                BenchOutbox.write(c, id, due, now);
            } catch (java.sql.SQLException e) {
                throw new JobExecutionException(e);
            }
            FireRecorder rec = recorder;
            if (rec != null) {
                rec.fired(id, due.toEpochMilli(), now.toEpochMilli());
            }
        }
    }

    private final BenchSettings s;
    private final SystemResult r = new SystemResult(BenchSettings.QUARTZ, NAME);
    private final FireRecorder rec;
    private String db;
    private Scheduler scheduler;

    private QuartzBench(BenchSettings s, int run) {
        this.s = s;
        r.run = run;
        this.rec = new FireRecorder(s.burstTimers, s.measuredTimers);
    }

    static SystemResult run(BenchSettings s, int run, List<SystemResult> sink) {
        QuartzBench b = new QuartzBench(s, run);
        sink.add(b.r);
        try {
            b.run();
        } catch (Exception e) {
            b.r.error = e.toString();
            Log.info("quartz failed: " + e);
            e.printStackTrace(System.out);
        }
        return b.r;
    }

    static Properties properties(BenchSettings s, String db) {
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", "bench");
        p.setProperty("org.quartz.scheduler.instanceId", "AUTO");
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.scheduler.idleWaitTime", String.valueOf(s.quartzIdleWait.toMillis()));
        p.setProperty("org.quartz.scheduler.batchTriggerAcquisitionMaxCount", String.valueOf(s.quartzBatch));
        p.setProperty("org.quartz.threadPool.class", "org.quartz.simpl.SimpleThreadPool");
        p.setProperty("org.quartz.threadPool.threadCount", String.valueOf(s.threads));
        p.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        p.setProperty("org.quartz.jobStore.driverDelegateClass", "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate");
        p.setProperty("org.quartz.jobStore.dataSource", "bench");
        p.setProperty("org.quartz.jobStore.tablePrefix", "QRTZ_");
        p.setProperty("org.quartz.jobStore.isClustered", "true");
        p.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        p.setProperty("org.quartz.jobStore.misfireThreshold", String.valueOf(s.quartzMisfireThresholdMs));
        p.setProperty("org.quartz.jobStore.useProperties", "false");
        p.setProperty("org.quartz.dataSource.bench.provider", "hikaricp");
        p.setProperty("org.quartz.dataSource.bench.driver", "org.postgresql.Driver");
        p.setProperty("org.quartz.dataSource.bench.URL", Pg.url(db));
        p.setProperty("org.quartz.dataSource.bench.user", TestInfra.pgUser());
        p.setProperty("org.quartz.dataSource.bench.password", TestInfra.pgPassword());
        p.setProperty("org.quartz.dataSource.bench.maxConnections", String.valueOf(s.poolSize));
        return p;
    }

    private void run() throws Exception {
        db = Cleanup.database("quartz");
        recorder = rec;
        try {
            try (Connection c = Pg.connect(db, null)) {
                Pg.script(c, ddl());
                Pg.script(c, BenchOutbox.DDL);
            }
            startScheduler();
            arm();
            // as autovacuum would have by now; without statistics the foreign-key checks of a bulk
            // insert plan sequential scans and the load takes quadratic time
            Pg.vacuumAnalyze(db, null, "qrtz_job_details", "qrtz_triggers", "qrtz_simple_triggers");
            try (Connection c = Pg.connect(db, null)) {
                burst(c);
                pending(c);
                measured(c);
            }
            if (rec.duplicates.get() > 0 || rec.unexpected.get() > 0) {
                r.note("job saw " + rec.duplicates.get() + " duplicate and " + rec.unexpected.get()
                        + " unexpected executions");
            }
        } finally {
            if (scheduler != null) {
                try {
                    scheduler.shutdown(true);
                } catch (SchedulerException e) {
                    Log.info("quartz shutdown: " + e);
                }
            }
            recorder = null;
            Cleanup.drop(db);
        }
    }

    /** The DDL that ships in the quartz jar. */
    static String ddl() throws IOException {
        try (InputStream in = Scheduler.class.getClassLoader()
                .getResourceAsStream("org/quartz/impl/jdbcjobstore/tables_postgres.sql")) {
            if (in == null) {
                throw new IllegalStateException("tables_postgres.sql not in the quartz jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private void startScheduler() throws SchedulerException {
        scheduler = new StdSchedulerFactory(properties(s, db)).getScheduler();
        scheduler.start();
    }

    /** (a) Scheduler.scheduleJob(job, trigger), one call per timer. */
    private void arm() throws SchedulerException {
        Instant base = Instant.now().plus(Duration.ofDays(1));
        long t0 = System.nanoTime();
        long cap = t0 + s.armCap.toNanos();
        int done = 0;
        for (int i = 0; i < s.armTimers; i++) {
            String id = "a-" + i;
            scheduler.scheduleJob(JobBuilder.newJob(BenchJob.class).withIdentity(id, GROUP).build(),
                    TriggerBuilder.newTrigger().withIdentity(id, GROUP).startAt(Date.from(base.plusMillis(i)))
                            .withSchedule(SimpleScheduleBuilder.simpleSchedule()).build());
            done++;
            if (System.nanoTime() > cap) {
                r.armCapped = true;
                break;
            }
        }
        r.armed = done;
        r.armSeconds = Util.secondsSince(t0);
        r.armMethod = "Scheduler.scheduleJob(job, one-shot SimpleTrigger), one call (one transaction) per timer";
        Log.info(String.format("quartz: armed %d in %.2f s%s", done, r.armSeconds, r.armCapped ? " (bound reached)" : ""));
    }

    /**
     * Bulk insert of the three rows Quartz keeps per one-shot timer (job, trigger, simple trigger)
     * for g in from..to, copied from what scheduleJob wrote for a-0; {@code dueExpr} is the due
     * time (epoch ms) in terms of g.
     */
    private static void bulk(Connection c, String prefix, int from, int to, String dueExpr, Object... dueParams)
            throws Exception {
        Object[] triggerParams = new Object[dueParams.length + 4];
        triggerParams[0] = prefix;
        triggerParams[1] = prefix;
        System.arraycopy(dueParams, 0, triggerParams, 2, dueParams.length);
        triggerParams[dueParams.length + 2] = from;
        triggerParams[dueParams.length + 3] = to;
        c.setAutoCommit(false);
        try {
            Pg.update(c, "insert into qrtz_job_details (sched_name, job_name, job_group, description, job_class_name,"
                    + " is_durable, is_nonconcurrent, is_update_data, requests_recovery, job_data)"
                    + " select j.sched_name, ? || g, j.job_group, j.description, j.job_class_name, j.is_durable,"
                    + " j.is_nonconcurrent, j.is_update_data, j.requests_recovery, j.job_data"
                    + " from qrtz_job_details j cross join generate_series(?, ?) g where j.job_name = 'a-0'",
                    prefix, from, to);
            Pg.update(c, "insert into qrtz_triggers (sched_name, trigger_name, trigger_group, job_name, job_group,"
                    + " description, next_fire_time, prev_fire_time, priority, trigger_state, trigger_type, start_time,"
                    + " end_time, calendar_name, misfire_instr, job_data)"
                    + " select t.sched_name, ? || x.g, t.trigger_group, ? || x.g, t.job_group, t.description, x.due,"
                    + " t.prev_fire_time, t.priority, t.trigger_state, t.trigger_type, x.due, t.end_time,"
                    + " t.calendar_name, t.misfire_instr, t.job_data"
                    + " from qrtz_triggers t cross join (select g, " + dueExpr + " as due from generate_series(?, ?) g) x"
                    + " where t.trigger_name = 'a-0'", triggerParams);
            Pg.update(c, "insert into qrtz_simple_triggers (sched_name, trigger_name, trigger_group, repeat_count,"
                    + " repeat_interval, times_triggered) select st.sched_name, ? || g, st.trigger_group,"
                    + " st.repeat_count, st.repeat_interval, st.times_triggered"
                    + " from qrtz_simple_triggers st cross join generate_series(?, ?) g where st.trigger_name = 'a-0'",
                    prefix, from, to);
            c.commit();
        } catch (Exception e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private void burst(Connection c) throws Exception {
        int n = s.burstTimers;
        r.burstTarget = n;
        // time a 2% pilot (due tomorrow, stays pending) to put the due instant just far enough ahead
        int pilot = Util.pilotSize(n);
        long p0 = System.nanoTime();
        bulk(c, "c-", 1, pilot, "?::bigint", Instant.now().plus(Duration.ofDays(1)).toEpochMilli());
        Pg.analyze(db, null, "qrtz_job_details", "qrtz_triggers", "qrtz_simple_triggers");
        Instant due = Util.dueAfter(Util.burstMargin(Util.secondsSince(p0), pilot, n));
        long t0 = System.nanoTime();
        bulk(c, "b-", 1, n, "?::bigint", due.toEpochMilli());
        Pg.analyze(db, null, "qrtz_job_details", "qrtz_triggers", "qrtz_simple_triggers");
        r.burstInsertSeconds = Util.secondsSince(t0);
        Log.info(String.format("quartz: burst of %d inserted in %.1f s, due at %s", n, r.burstInsertSeconds, due));
        Util.checkCommittedBefore(r, due, "burst insert");
        Util.sleepUntil(due);
        Instant cap = due.plus(s.burstCap);
        try (Probe probe = Probe.start(db, 0)) {
            while (rec.burst.get() < n && Instant.now().isBefore(cap)) {
                if (r.explain.isEmpty() && Instant.now().isAfter(due.plusSeconds(2))) {
                    long now = System.currentTimeMillis();
                    r.explain.add("-- (b) 2 s into the burst: StdJDBCDelegate's trigger acquisition query as Quartz"
                            + " runs it under the TRIGGER_ACCESS row lock: no LIMIT (it uses JDBC setMaxRows) and the"
                            + " times bound with setBigDecimal, i.e. as numeric:");
                    r.explain.addAll(Pg.queryLines(c, "explain (analyze, buffers) SELECT TRIGGER_NAME, TRIGGER_GROUP,"
                            + " NEXT_FIRE_TIME, PRIORITY FROM QRTZ_TRIGGERS WHERE SCHED_NAME = 'bench'"
                            + " AND TRIGGER_STATE = 'WAITING' AND NEXT_FIRE_TIME <= "
                            + (now + s.quartzIdleWait.toMillis()) + "::numeric"
                            + " AND (MISFIRE_INSTR = -1 OR (MISFIRE_INSTR != -1 AND NEXT_FIRE_TIME >= "
                            + (now - s.quartzMisfireThresholdMs) + "::numeric))"
                            + " ORDER BY NEXT_FIRE_TIME ASC, PRIORITY DESC"));
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
        Log.info(String.format("quartz: burst %d/%d fired in %.2f s%s", r.burstFired, n, r.burstSeconds,
                r.burstCapped ? " (bound reached)" : ""));
        if (r.burstCapped) {
            scheduler.shutdown(true);
            c.setAutoCommit(false);
            Pg.update(c, "delete from qrtz_fired_triggers");
            Pg.update(c, "delete from qrtz_simple_triggers where trigger_name like 'b-%'");
            int gone = Pg.update(c, "delete from qrtz_triggers where trigger_name like 'b-%'");
            Pg.update(c, "delete from qrtz_job_details where job_name like 'b-%'");
            c.commit();
            c.setAutoCommit(true);
            r.note("burst: stopped at the bound; " + gone + " unfired burst triggers deleted before phase (c)"
                    + " (scheduler shut down and started afresh)");
            startScheduler();
        }
        Pg.vacuumAnalyze(db, null, "qrtz_job_details", "qrtz_triggers", "qrtz_simple_triggers", "qrtz_fired_triggers");
    }

    private void pending(Connection c) throws Exception {
        int chunk = 100_000;
        long base = Instant.now().plus(Duration.ofDays(2)).toEpochMilli();
        long t0 = System.nanoTime();
        int done = 0;
        while (done < s.pendingTimers) {
            int k = Math.min(chunk, s.pendingTimers - done);
            bulk(c, "p-", done + 1, done + k, "?::bigint + (random() * 30 * 86400000)::bigint", base);
            done += k;
            Log.info(String.format("quartz: %d pending inserted after %.1f s", done, Util.secondsSince(t0)));
            if (done < s.pendingTimers && Util.secondsSince(t0) > s.pendingLoadCap.toSeconds()) {
                r.pendingCapped = true;
                r.note(String.format("pending load stopped at the %d s bound: %,d of %,d timers (3 rows each) loaded",
                        s.pendingLoadCap.toSeconds(), done, s.pendingTimers));
                break;
            }
        }
        r.pendingLoadSeconds = Util.secondsSince(t0);
        Log.info(String.format("quartz: %d pending inserted in %.1f s", done, r.pendingLoadSeconds));
        long v0 = System.nanoTime();
        Pg.vacuumAnalyze(db, null, "qrtz_job_details", "qrtz_triggers", "qrtz_simple_triggers");
        Pg.checkpoint();
        Log.info(String.format("quartz: vacuum analyze + checkpoint %.1f s", Util.secondsSince(v0)));
        r.pending = Pg.queryLong(c, "select count(*) from qrtz_triggers where trigger_state = 'WAITING'");
    }

    private void measured(Connection c) throws Exception {
        int n = s.measuredTimers;
        r.measuredTarget = n;
        Instant start = Util.dueAfter(Duration.ofSeconds(5));
        long stepMicros = s.measuredSpread.toNanos() / 1000 / n;
        bulk(c, "m-", 0, n - 1, "?::bigint + (g * ?::bigint) / 1000", start.toEpochMilli(), stepMicros);
        Util.checkCommittedBefore(r, start, "measured insert");
        Log.info("quartz: " + n + " measured due from " + start + ", " + r.pending + " pending");
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
        long now = System.currentTimeMillis();
        r.explain.add("-- (c) the same acquisition query after the window, " + r.pending + " triggers waiting"
                + " (the measured ones that had not fired are still among them, due):");
        r.explain.addAll(Pg.queryLines(c, "explain (analyze, buffers) SELECT TRIGGER_NAME, TRIGGER_GROUP,"
                + " NEXT_FIRE_TIME, PRIORITY FROM QRTZ_TRIGGERS WHERE SCHED_NAME = 'bench'"
                + " AND TRIGGER_STATE = 'WAITING' AND NEXT_FIRE_TIME <= " + (now + s.quartzIdleWait.toMillis())
                + "::numeric AND (MISFIRE_INSTR = -1 OR (MISFIRE_INSTR != -1 AND NEXT_FIRE_TIME >= "
                + (now - s.quartzMisfireThresholdMs) + "::numeric)) ORDER BY NEXT_FIRE_TIME ASC, PRIORITY DESC"));
        long[] late = rec.measuredLateness();
        r.measuredFired = late.length;
        Util.lateness(r, late);
        Util.unfired(r, start, s.measuredSpread, Instant.now());
        Log.info("quartz: measured " + late.length + "/" + n + " fired; lateness p50 " + r.p50 + " p99 " + r.p99
                + " max " + r.max + " ms");
    }
}

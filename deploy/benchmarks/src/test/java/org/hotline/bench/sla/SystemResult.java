package org.hotline.bench.sla;

import java.util.ArrayList;
import java.util.List;

/** What one system measured; null where a phase did not run or produced nothing. */
final class SystemResult {

    final String key;
    final String name;
    /** Which of the bench.runs repetitions (1-based). */
    int run = 1;

    // (a) arming
    long armed;
    double armSeconds;
    boolean armCapped;
    String armMethod;
    /** Ours only: timers written with JDBC by the benchmark, one transaction per ticket in two batches. */
    long armedJdbc;
    double armJdbcSeconds;
    /** Ours only: the same tickets armed with the statement sequence Hibernate issues. */
    long armedRowByRow;
    double armRowByRowSeconds;

    // (b) burst
    int burstTarget;
    long burstFired;
    /** From the due instant until the last one fired (or until the cap, if capped). */
    Double burstSeconds;
    Double burstFirstSeconds;
    boolean burstCapped;
    double burstInsertSeconds;
    Double burstEventsPublishedSeconds;
    String burstCpu;
    /** Ours only: CPU and database sessions while arming through the consumer. */
    String armCpu;
    final List<String> armActivity = new ArrayList<>();
    final List<String> burstActivity = new ArrayList<>();

    // (c) lateness
    long pending;
    double pendingLoadSeconds;
    boolean pendingCapped;
    int measuredTarget;
    int measuredFired;
    Long p50;
    Long p99;
    Long max;
    /** When not all measured timers fired: the unfired ones were at least this late when waiting stopped. */
    Long unfiredLateAtLeastMs;
    Long kafkaP50;
    Long kafkaP99;
    Long kafkaMax;
    String latenessCpu;
    final List<String> latenessActivity = new ArrayList<>();
    final List<String> explain = new ArrayList<>();

    final List<String> notes = new ArrayList<>();
    String error;

    SystemResult(String key, String name) {
        this.key = key;
        this.name = name;
    }

    Double armedPerSecond() {
        return armSeconds > 0 ? armed / armSeconds : null;
    }

    Double armedJdbcPerSecond() {
        return armJdbcSeconds > 0 ? armedJdbc / armJdbcSeconds : null;
    }

    Double armedRowByRowPerSecond() {
        return armRowByRowSeconds > 0 ? armedRowByRow / armRowByRowSeconds : null;
    }

    Double burstPerSecond() {
        return burstSeconds != null && burstSeconds > 0 ? burstFired / burstSeconds : null;
    }

    Double burstDrainPerSecond() {
        return burstSeconds != null && burstFirstSeconds != null && burstSeconds > burstFirstSeconds
                ? burstFired / (burstSeconds - burstFirstSeconds) : null;
    }

    void note(String s) {
        notes.add(s);
        Log.info(key + ": " + s);
    }
}

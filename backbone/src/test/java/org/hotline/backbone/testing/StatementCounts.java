package org.hotline.backbone.testing;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What {@link CountingDriver} counted: per thread and statement text, the statements <b>sent</b> (a
 * JDBC batch once per {@code executeBatch}) and the <b>rows</b> (each batched row once). Narrow it to
 * the threads a test means (the test thread, or the consumers' workers), then read either figure.
 */
public record StatementCounts(List<Count> counts) {

    record Key(String thread, String sql) {
    }

    /** One statement text on one thread. */
    public record Count(String thread, String sql, long sent, long rows) {
    }

    public StatementCounts {
        counts = List.copyOf(counts);
    }

    /** Only the statements of threads whose name passes {@code thread}. */
    public StatementCounts onThreads(Predicate<String> thread) {
        return new StatementCounts(counts.stream().filter(c -> thread.test(c.thread())).toList());
    }

    /** Only the statements of the thread named {@code name}, e.g. the test's own thread. */
    public StatementCounts onThread(String name) {
        return onThreads(name::equals);
    }

    /** Round trips: each execution once, a JDBC batch once. */
    public long sent() {
        return counts.stream().mapToLong(Count::sent).sum();
    }

    /** Each execution once, each row of a JDBC batch once. */
    public long rows() {
        return counts.stream().mapToLong(Count::rows).sum();
    }

    /** Statements sent per thread group (a thread's name without its trailing number: "executor-thread-#"). */
    public Map<String, Long> sentByThreadGroup() {
        return counts.stream().collect(Collectors.groupingBy(c -> c.thread().replaceAll("\\d+$", "#"), TreeMap::new,
                Collectors.summingLong(Count::sent)));
    }

    /**
     * One line per statement text (all threads of this selection together): sent and rows, each
     * divided by {@code per} (tickets, events), most rows first; then the totals.
     */
    public String report(int per) {
        Map<String, long[]> bySql = new TreeMap<>();
        counts.forEach(c -> {
            long[] t = bySql.computeIfAbsent(c.sql(), k -> new long[2]);
            t[0] += c.sent();
            t[1] += c.rows();
        });
        StringBuilder out = new StringBuilder(String.format("%8s %8s  statement (per %d)%n", "sent", "rows", per));
        bySql.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, long[]>> comparingLong(e -> -e.getValue()[1])
                        .thenComparing(Map.Entry::getKey))
                .forEach(e -> out.append(String.format("%8.2f %8.2f  %s%n", (double) e.getValue()[0] / per,
                        (double) e.getValue()[1] / per, e.getKey().substring(0, Math.min(140, e.getKey().length())))));
        return out.append(String.format("%8.2f %8.2f  total (%d sent, %d rows)%n", (double) sent() / per,
                (double) rows() / per, sent(), rows())).toString();
    }
}

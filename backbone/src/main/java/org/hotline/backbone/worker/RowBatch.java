package org.hotline.backbone.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Write-once rows (outbox events, history entries) that are inserted one at a time, or, inside
 * {@link #batch}, collected and inserted together when the batch's work returns, in the order they
 * were added: one JDBC batch for a whole group commit or claim instead of one round trip per row.
 *
 * <p>Collected per thread, which is the transaction's: the rows go in the caller's transaction,
 * and a row added on another thread meanwhile is inserted at once, as outside a batch.
 *
 * @param <T> a row
 */
public final class RowBatch<T> {

    private final Consumer<List<T>> insert;
    private final ThreadLocal<List<T>> collecting = new ThreadLocal<>();

    /** @param insert writes the rows given (never empty), in order, in the caller's transaction */
    public RowBatch(Consumer<List<T>> insert) {
        this.insert = insert;
    }

    /** Inserts the row now, or, inside {@link #batch} on this thread, when the batch's work returns. */
    public void add(T row) {
        List<T> rows = collecting.get();
        if (rows != null) {
            rows.add(row);
        } else {
            insert.accept(List.of(row));
        }
    }

    /**
     * Runs {@code work}, then inserts every row it added, in one call of the insert. If it throws,
     * nothing is inserted (the caller's transaction rolls back as usual). Inside another batch it
     * just runs: the outer batch inserts the rows.
     */
    public <V> V batch(Supplier<V> work) {
        if (collecting.get() != null) {
            return work.get();
        }
        List<T> rows = new ArrayList<>();
        collecting.set(rows);
        V result;
        try {
            result = work.get();
        } finally {
            collecting.remove();
        }
        if (!rows.isEmpty()) {
            insert.accept(rows);
        }
        return result;
    }
}

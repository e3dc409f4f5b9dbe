package org.hotline.intake.service;

import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * An in-memory copy of one reference table, by code, so that a create does not load its category,
 * street and grid row by row (three primary-key reads per ticket in the intake profile). Taken
 * again after {@code refresh}, and at once when a code is missing (it may have been added since).
 * The rows are read-only here: nothing in intake writes reference data.
 */
final class ReferenceSnapshot<T> {

    private final Supplier<Map<String, T>> load;
    private final long refreshNanos;
    private volatile Map<String, T> rows;
    private volatile long takenAt;

    ReferenceSnapshot(Supplier<Map<String, T>> load, Duration refresh) {
        this.load = load;
        this.refreshNanos = refresh.toNanos();
    }

    /** The row with this code, or null if the table has none (also after looking again). */
    T get(String code) {
        Map<String, T> current = rows;
        boolean fresh = current == null || System.nanoTime() - takenAt > refreshNanos;
        if (fresh) {
            current = take();
        }
        T row = current.get(code);
        return row != null || fresh ? row : take().get(code);
    }

    private Map<String, T> take() {
        Map<String, T> taken = Map.copyOf(load.get());
        rows = taken;
        takenAt = System.nanoTime();
        return taken;
    }
}

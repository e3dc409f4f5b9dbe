package org.hotline.backbone.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Rows go in at once outside a batch; inside one, in a single insert when its work returns, in the
 * order added; not at all if the work fails.
 */
class RowBatchTest {

    /** Each insert call, with its rows. */
    final List<List<String>> inserts = new CopyOnWriteArrayList<>();
    final RowBatch<String> rows = new RowBatch<>(inserts::add);

    @Test
    void outsideABatchEachRowIsInsertedAtOnce() {
        rows.add("a");
        assertEquals(List.of(List.of("a")), inserts);
        rows.add("b");
        assertEquals(List.of(List.of("a"), List.of("b")), inserts);
    }

    @Test
    void insideABatchTheRowsAreInsertedTogetherInOrderWhenTheWorkReturns() {
        String result = rows.batch(() -> {
            rows.add("a");
            rows.batch(() -> { // a batch inside a batch: the outer one inserts
                rows.add("b");
                return null;
            });
            rows.add("c");
            assertEquals(List.of(), inserts, "nothing before the work returns");
            return "done";
        });
        assertEquals("done", result);
        assertEquals(List.of(List.of("a", "b", "c")), inserts);
        rows.add("d"); // after the batch: at once again
        assertEquals(List.of(List.of("a", "b", "c"), List.of("d")), inserts);
    }

    @Test
    void aBatchWithoutRowsInsertsNothing() {
        rows.batch(() -> null);
        assertEquals(List.of(), inserts);
    }

    @Test
    void aFailedBatchInsertsNothingAndTheNextStartsEmpty() {
        assertThrows(IllegalStateException.class, () -> rows.batch(() -> {
            rows.add("lost");
            throw new IllegalStateException("rolled back");
        }));
        assertEquals(List.of(), inserts);
        rows.batch(() -> {
            rows.add("kept");
            return null;
        });
        assertEquals(List.of(List.of("kept")), inserts);
    }

    @Test
    void anotherThreadsRowsAreNotTakenIntoTheBatch() throws Exception {
        rows.batch(() -> {
            rows.add("mine");
            CompletableFuture.runAsync(() -> rows.add("theirs")).orTimeout(10, TimeUnit.SECONDS).join();
            assertEquals(List.of(List.of("theirs")), inserts);
            return null;
        });
        assertEquals(List.of(List.of("theirs"), List.of("mine")), inserts);
    }
}

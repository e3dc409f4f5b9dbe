package org.hotline.backbone.kafka;

import java.util.concurrent.atomic.AtomicInteger;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

/**
 * The hot end of a live stream (SSE screens): what is published reaches every subscriber connected
 * at that moment. Usually fed by a {@link BroadcastFeed}; a late subscriber reads the past through
 * the REST API.
 *
 * <p>Why not a bare {@link BroadcastProcessor}: it buffers nothing, and fails a subscriber that has
 * not yet requested the next item (BackPressureFailure), which ended a slow screen's SSE stream and
 * lost what it missed. Each subscriber gets a buffer of its own ({@code buffer} items) instead, so a
 * slow screen catches up and a fast one never waits for it. A screen that falls a whole buffer
 * behind still fails, and reconnects to re-read (better than holding memory for a dead connection).
 *
 * @param <T> what is pushed
 */
public final class LiveHub<T> {

    /** Items held per subscriber while its connection is slow to take them. */
    public static final int DEFAULT_BUFFER = 4096;

    private final BroadcastProcessor<T> processor = BroadcastProcessor.create();
    private final AtomicInteger subscribers = new AtomicInteger();
    private final int buffer;

    public LiveHub() {
        this(DEFAULT_BUFFER);
    }

    public LiveHub(int buffer) {
        if (buffer < 1) {
            throw new IllegalArgumentException("buffer must be at least 1, was " + buffer);
        }
        this.buffer = buffer;
    }

    /** Hands the item to every current subscriber. Callable from any thread: serialised, as Reactive Streams requires. */
    public synchronized void publish(T item) {
        processor.onNext(item);
    }

    /** What is published from now on, through a buffer of this subscriber's own. */
    public Multi<T> stream() {
        return processor.onOverflow().buffer(buffer)
                .onSubscription().invoke(s -> subscribers.incrementAndGet())
                .onTermination().invoke(subscribers::decrementAndGet);
    }

    /** Subscribers connected now. */
    public int subscribers() {
        return subscribers.get();
    }
}

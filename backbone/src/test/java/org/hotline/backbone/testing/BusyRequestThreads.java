package org.hotline.backbone.testing;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Every thread of the pool Quarkus serves HTTP requests from kept busy, and eight more tasks
 * waiting for one, until closed: stand-ins for a load of requests, for tests that the service's
 * consumers do not wait behind them. A request to the service itself would wait too: such a test
 * reads what it checks from the database or the broker.
 */
public final class BusyRequestThreads implements AutoCloseable {

    private final CountDownLatch release = new CountDownLatch(1);

    /** Occupies the pool's {@code requestThreads} (quarkus.thread-pool.max-threads); fails if they do not all start. */
    public BusyRequestThreads(int requestThreads) throws InterruptedException {
        CountDownLatch busy = new CountDownLatch(requestThreads);
        for (int i = 0; i < requestThreads + 8; i++) {
            Infrastructure.getDefaultWorkerPool().execute(() -> {
                busy.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        if (!busy.await(Duration.ofSeconds(20).toMillis(), TimeUnit.MILLISECONDS)) {
            release.countDown();
            throw new AssertionError("not every request thread became busy");
        }
    }

    @Override
    public void close() {
        release.countDown();
    }
}

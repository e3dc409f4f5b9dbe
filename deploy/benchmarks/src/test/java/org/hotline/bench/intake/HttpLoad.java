package org.hotline.bench.intake;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.HdrHistogram.Histogram;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * The benchmark's load generator: Vert.x' non-blocking HTTP/1.1 client on one event loop, a pool
 * of keep-alive connections. It shares the machine with the service, so its own CPU per request
 * is taken from the service's: the JDK's blocking HttpClient used before cost the benchmark's JVM
 * 1.0–1.1 ms per ticket at 500/s (with the broker), more than half of what the service itself
 * took (docs/benchmarks.md, session 33).
 */
final class HttpLoad implements AutoCloseable {

    private final Vertx vertx;
    private final HttpClient client;
    private final String authorization;

    HttpLoad(String host, int port, int connections, String authorization) {
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1));
        this.client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_1_1)
                .setDefaultHost(host).setDefaultPort(port).setKeepAlive(true).setConnectTimeout(5_000),
                new PoolOptions().setHttp1MaxSize(connections));
        this.authorization = authorization;
    }

    /** POSTs the JSON body; completes with the response's status once its body has been read. */
    Future<Integer> post(String uri, String body) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI(uri).setIdleTimeout(30_000)
                .putHeader("Content-Type", "application/json").putHeader("Authorization", authorization);
        return client.request(options)
                .compose(req -> req.send(Buffer.buffer(body)))
                .compose(resp -> resp.body().map(b -> resp.statusCode()));
    }

    /**
     * Open loop: request i is due at start + i/rate and is sent then, whatever came back; latency
     * counts from when it was due, so a request that waits for a free connection (all of the pool
     * busy) is late by that wait too.
     */
    IntakeBenchmark.Result fixedRate(String uri, int rate, int seconds, Supplier<String> bodies)
            throws InterruptedException {
        Histogram h = new Histogram(60_000_000L, 3);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        int total = Math.multiplyExact(rate, seconds); // fails loudly rather than wrapping
        CountDownLatch done = new CountDownLatch(total);
        long start = System.nanoTime();
        long intervalNanos = 1_000_000_000L / rate;
        for (long i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            post(uri, bodies.get()).onComplete(ar -> {
                record(h, (System.nanoTime() - due) / 1000);
                (ar.succeeded() && good(ar.result()) ? ok : failed).incrementAndGet();
                done.countDown();
            });
        }
        if (!done.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("open-loop requests still running 120 s after the last was due");
        }
        return new IntakeBenchmark.Result(ok.get(), failed.get(), (System.nanoTime() - start) / 1e9, h);
    }

    /** Closed loop: each of {@code clients} sends its next request when the last one is answered. */
    IntakeBenchmark.Result saturate(String uri, int clients, int seconds, Supplier<String> bodies)
            throws InterruptedException {
        Histogram h = new Histogram(60_000_000L, 3);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        CountDownLatch done = new CountDownLatch(clients);
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        for (int c = 0; c < clients; c++) {
            new Runnable() {
                @Override
                public void run() {
                    long t0 = System.nanoTime();
                    post(uri, bodies.get()).onComplete(ar -> {
                        long now = System.nanoTime();
                        record(h, (now - t0) / 1000);
                        (ar.succeeded() && good(ar.result()) ? ok : failed).incrementAndGet();
                        if (now < end) {
                            run();
                        } else {
                            done.countDown();
                        }
                    });
                }
            }.run();
        }
        if (!done.await(seconds + 120L, TimeUnit.SECONDS)) {
            throw new IllegalStateException("closed-loop clients still running 120 s after the end");
        }
        return new IntakeBenchmark.Result(ok.get(), failed.get(), (System.nanoTime() - start) / 1e9, h);
    }

    private static boolean good(int status) {
        return status == 201 || status == 200;
    }

    private static void record(Histogram h, long micros) {
        synchronized (h) {
            h.recordValue(Math.min(micros, h.getHighestTrackableValue()));
        }
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join(); // closes the client too
    }
}

package org.hotline.backbone.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.hotline.backbone.inbox.EventInbox;
import org.hotline.backbone.inbox.RetryLaterException;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Group commit: writes that arrive at the same time share one transaction, so a burst of
 * requests costs one commit (one WAL flush, one BEGIN/COMMIT, one connection checkout) per group
 * instead of one per request, while each request still returns only after its own write is
 * durable.
 *
 * <p>Each lane is a thread that takes whatever is waiting, up to {@code maxGroup}, and writes it
 * in one transaction; requests that arrive meanwhile wait for the next group. Nothing waits for a
 * group to fill: a request alone is written at once, so a quiet system pays no latency for this.
 * If a group's write fails because of a request (bad data, a conflict, a deadlock between
 * lanes), nothing of it is kept and each of its requests is written again alone, in its own
 * transaction: the bad one fails with its own exception and only it (one that loses a deadlock
 * or lock wait alone is tried up to three times). If it fails because the database cannot be reached or has no room (a
 * failure every request alone would meet too), every caller gets that failure at once rather than
 * each after its own attempt. A failed commit is not retried (it may have reached the database):
 * every caller of the group gets its exception, as each would writing alone. Hence a writer must
 * produce the same outcome for a request whether it is written in a group or alone, and leave
 * nothing for the commit to write (flush its persistence context): a failure at commit must mean
 * the commit itself.
 *
 * <p>Stopping lets the groups in flight finish; what is still queued then fails with
 * {@link RetryLaterException} (a 503 over HTTP; a Kafka consumer tries the record again).
 *
 * @param <R> a request
 * @param <T> its result
 */
public final class GroupCommit<R, T> {

    private static final Logger LOG = Logger.getLogger(GroupCommit.class);

    /**
     * Writes a group, in order, inside one transaction that is already open, and flushes what it
     * wrote; throwing rolls it all back.
     */
    @FunctionalInterface
    public interface Writer<R, T> {
        List<T> write(List<R> requests) throws Exception;
    }

    /** Runs a group's write in a new transaction; tests may run it without one. */
    @FunctionalInterface
    public interface Transactions {
        <V> V inNew(Callable<V> work) throws Exception;

        /** JTA through Quarkus: a new transaction per call, rolled back if the work throws. */
        Transactions JTA = new Transactions() {
            @Override
            public <V> V inNew(Callable<V> work) {
                return QuarkusTransaction.requiringNew().call(work);
            }
        };
    }

    private record Pending<R, T>(R request, CompletableFuture<T> result) {
    }

    private final String name;
    private final Writer<R, T> writer;
    private final Transactions transactions;
    private final int maxGroup;
    private final BlockingQueue<Pending<R, T>> queue = new LinkedBlockingQueue<>();
    private final List<Thread> lanes = new ArrayList<>();
    /** Lanes waiting for a request (interrupted at once by {@link #stop}: they hold no write). */
    private final java.util.Set<Thread> idle = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final DistributionSummary groupSize;
    private volatile boolean running = true;

    /**
     * @param name the lanes' thread names and the {@code group_commit_size} metric's {@code group} tag
     * @param lanes threads writing groups at the same time (each holds one connection while it writes)
     * @param registry null: no metric
     */
    public GroupCommit(String name, int lanes, int maxGroup, Writer<R, T> writer, Transactions transactions,
            MeterRegistry registry) {
        if (lanes < 1 || maxGroup < 1) {
            throw new IllegalArgumentException("lanes and maxGroup must be at least 1");
        }
        this.name = name;
        this.writer = writer;
        this.transactions = transactions;
        this.maxGroup = maxGroup;
        this.groupSize = registry == null ? null
                : DistributionSummary.builder("group_commit_size").description("requests written in one transaction")
                        .tag("group", name).publishPercentiles(0.5, 0.99).register(registry);
        if (registry != null) {
            Gauge.builder("group_commit_queued", queue, BlockingQueue::size)
                    .description("requests waiting for a lane").tag("group", name).register(registry);
        }
        for (int i = 0; i < lanes; i++) {
            Thread t = new Thread(this::lane, "group-commit-" + name + "-" + i);
            t.setDaemon(true);
            this.lanes.add(t);
            t.start();
        }
    }

    /** Queues the request; the future completes once its group (or it alone) has committed. */
    public CompletableFuture<T> submit(R request) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (!running) {
            result.completeExceptionally(stopped());
            return result;
        }
        Pending<R, T> pending = new Pending<>(request, result);
        queue.add(pending);
        if (!running && queue.remove(pending)) { // stop() drained the queue meanwhile
            result.completeExceptionally(stopped());
        }
        return result;
    }

    /**
     * Writes the request and waits for its commit: its result, or the exception its write threw
     * (unwrapped, as if the caller had written it itself).
     */
    public T write(R request) {
        try {
            return submit(request).get();
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryLaterException("interrupted waiting for " + name + " (the write may still commit)");
        }
    }

    /**
     * Stops taking requests: the groups in flight finish (at most {@code graceMillis}, then their
     * lanes are interrupted), and what is still queued fails with {@link RetryLaterException}.
     */
    public void stop(long graceMillis) {
        running = false;
        idle.forEach(Thread::interrupt); // one taking a request just now notices within its 1 s poll
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        for (Thread t : lanes) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        lanes.forEach(Thread::interrupt);
        List<Pending<R, T>> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(p -> p.result().completeExceptionally(stopped()));
    }

    private RetryLaterException stopped() {
        return new RetryLaterException(name + " is stopping: try again");
    }

    private void lane() {
        List<Pending<R, T>> group = new ArrayList<>(maxGroup);
        while (running) {
            try {
                Pending<R, T> first;
                idle.add(Thread.currentThread());
                try {
                    first = queue.poll(1, TimeUnit.SECONDS);
                } finally {
                    idle.remove(Thread.currentThread());
                }
                if (first == null) {
                    continue;
                }
                Thread.interrupted(); // stop()'s interrupt for an idle lane came as this one took a request: write it
                group.add(first);
                queue.drainTo(group, maxGroup - 1);
                write(group);
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            } catch (RuntimeException | Error e) { // never let a lane die with requests waiting on it
                LOG.errorf(e, "%s: group of %d failed outside its transaction", name, group.size());
                group.forEach(p -> p.result().completeExceptionally(e));
            } finally {
                group.clear();
            }
        }
    }

    private void write(List<Pending<R, T>> group) {
        if (groupSize != null) {
            groupSize.record(group.size());
        }
        if (group.size() > 1) {
            List<R> requests = new ArrayList<>(group.size());
            group.forEach(p -> requests.add(p.request()));
            boolean[] written = {false};
            try {
                List<T> results = transactions.inNew(() -> {
                    List<T> r = writer.write(requests);
                    written[0] = true;
                    return r;
                });
                for (int i = 0; i < group.size(); i++) {
                    group.get(i).result().complete(results.get(i));
                }
                return;
            } catch (Exception e) {
                if (written[0] || EventInbox.databaseUnavailable(e)) {
                    // a failed commit may have reached the database: writing each again could write
                    // it twice; an unreachable database fails each alone too. Each caller gets the
                    // failure, as a lone write would
                    LOG.warnf(e, "%s: group of %d failed%s", name, group.size(), written[0] ? " at commit" : "");
                    group.forEach(p -> p.result().completeExceptionally(e));
                    return;
                }
                LOG.debugf(e, "%s: group of %d rolled back; writing each alone", name, group.size());
            }
        }
        for (Pending<R, T> p : group) {
            for (int attempt = 1;; attempt++) {
                try {
                    p.result().complete(transactions.inNew(() -> writer.write(List.of(p.request()))).get(0));
                    break;
                } catch (Exception e) {
                    if (attempt < 3 && EventInbox.lostToAnotherTransaction(e)) {
                        continue; // a deadlock, serialization or lock-wait loser: the other side has gone on
                    }
                    p.result().completeExceptionally(e);
                    break;
                }
            }
        }
    }

    private static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof RuntimeException re) {
            return re;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new IllegalStateException(cause);
    }
}

package org.hotline.backbone.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.hotline.backbone.inbox.RetryLaterException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Group commit as its callers see it: a request written alone goes at once; requests waiting
 * while a group commits share the next transaction and each gets its own result; a group that
 * fails is written again one request at a time, so only the bad request fails and nothing is
 * written twice or lost.
 */
class GroupCommitTest {

    /** What committed; a transaction's writes land here only if its work returned. */
    final List<String> committed = new CopyOnWriteArrayList<>();
    final List<Integer> transactionSizes = new CopyOnWriteArrayList<>();
    /** A lane's open transaction's writes (each lane is one thread). */
    final ThreadLocal<List<String>> staged = ThreadLocal.withInitial(ArrayList::new);
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    volatile CountDownLatch hold = new CountDownLatch(0);
    /** How many more times a "victim" request loses a deadlock. */
    final AtomicInteger deadlocks = new AtomicInteger();
    final java.util.concurrent.Semaphore entered = new java.util.concurrent.Semaphore(0);
    GroupCommit<String, String> commits;

    /** Commits of more than one write fail after the work (as a lost connection at COMMIT: outcome unknown). */
    volatile boolean failGroupCommits;

    final GroupCommit.Transactions fakeTransactions = new GroupCommit.Transactions() {
        @Override
        public <V> V inNew(Callable<V> work) throws Exception {
            staged.get().clear();
            V result = work.call(); // throws: nothing staged is kept (rolled back)
            if (failGroupCommits && staged.get().size() > 1) {
                throw new IllegalStateException("connection lost at commit");
            }
            committed.addAll(staged.get());
            return result;
        }
    };

    GroupCommit<String, String> start(int lanes) {
        commits = new GroupCommit<>("test", lanes, 32, requests -> {
            entered.release();
            hold.await(10, TimeUnit.SECONDS);
            transactionSizes.add(requests.size());
            List<String> results = new ArrayList<>();
            for (String r : requests) {
                if (r.startsWith("bad")) {
                    throw new IllegalArgumentException("refused " + r);
                }
                if (r.startsWith("unreachable")) {
                    throw new SQLException("connection refused", "08001");
                }
                if (r.startsWith("victim") && deadlocks.getAndDecrement() > 0) {
                    throw new SQLException("deadlock detected", "40P01");
                }
                staged.get().add(r);
                results.add("stored " + r);
            }
            return results;
        }, fakeTransactions, registry);
        return commits;
    }

    @AfterEach
    void stop() {
        hold.countDown();
        commits.stop(1_000);
    }

    @Test
    void aLoneRequestIsWrittenAtOnceInATransactionOfItsOwn() {
        start(1);
        assertEquals("stored a", commits.write("a"));
        assertEquals(List.of(1), transactionSizes);
        assertEquals(List.of("a"), committed);
    }

    @Test
    void requestsArrivingWhileAGroupCommitsShareTheNextTransactionAndEachGetsItsOwnResult() throws Exception {
        start(1);
        hold = new CountDownLatch(1);
        CompletableFuture<String> first = commits.submit("first"); // the lane takes it and waits in its write
        awaitTaken();
        List<CompletableFuture<String>> waiting = IntStream.range(0, 10).mapToObj(i -> commits.submit("r" + i)).toList();
        hold.countDown();

        assertEquals("stored first", first.get(5, TimeUnit.SECONDS));
        for (int i = 0; i < 10; i++) {
            assertEquals("stored r" + i, waiting.get(i).get(5, TimeUnit.SECONDS));
        }
        assertEquals(List.of(1, 10), transactionSizes, "the ten that waited were one transaction");
        assertEquals(11, committed.size());
        assertEquals(2.0, registry.get("group_commit_size").tag("group", "test").summary().count());
        assertEquals(10.0, registry.get("group_commit_size").tag("group", "test").summary().max());
    }

    @Test
    void aGroupWithABadRequestIsRolledBackAndWrittenAgainOneByOneSoOnlyTheBadOneFails() throws Exception {
        start(1);
        List<CompletableFuture<String>> queued = queuedBehindAWrite("a", "bad-1", "b");
        CompletableFuture<String> a = queued.get(0);
        CompletableFuture<String> bad = queued.get(1);
        CompletableFuture<String> b = queued.get(2);
        assertEquals("stored a", a.get(5, TimeUnit.SECONDS));
        assertEquals("stored b", b.get(5, TimeUnit.SECONDS));
        ExecutionException e = assertThrows(ExecutionException.class, () -> bad.get(5, TimeUnit.SECONDS));
        assertEquals("refused bad-1", e.getCause().getMessage());
        IllegalArgumentException direct = assertThrows(IllegalArgumentException.class, () -> commits.write("bad-2"));
        assertEquals("refused bad-2", direct.getMessage(), "write() throws the writer's own exception");
        assertEquals(List.of("first", "a", "b"), committed, "each good request exactly once, in order");
        assertEquals(List.of(1, 3, 1, 1, 1, 1), transactionSizes, "the group of three, then each alone");
    }

    @Test
    void aGroupWhoseCommitFailsIsNotWrittenAgainButEveryCallerGetsTheFailure() throws Exception {
        start(1);
        failGroupCommits = true;
        for (CompletableFuture<String> f : queuedBehindAWrite("a", "b")) {
            ExecutionException x = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
            assertEquals("connection lost at commit", x.getCause().getMessage());
        }
        assertEquals(List.of("first"), committed);
        assertEquals(List.of(1, 2), transactionSizes, "the group was not written again one by one");
    }

    @Test
    void aGroupTheDatabaseCannotTakeFailsEveryCallerAtOnceWithoutTryingEachAlone() throws Exception {
        start(1);
        for (CompletableFuture<String> f : queuedBehindAWrite("unreachable-a", "b")) {
            ExecutionException x = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
            assertEquals("08001", ((SQLException) x.getCause()).getSQLState());
        }
        assertEquals(List.of(1, 2), transactionSizes, "no attempt one by one against a database that is not there");
    }

    @Test
    void aDeadlockVictimWrittenAloneIsTriedAgain() throws Exception {
        start(1);
        deadlocks.set(2); // the group's attempt, then its first attempt alone
        List<CompletableFuture<String>> queued = queuedBehindAWrite("a", "victim");
        assertEquals("stored a", queued.get(0).get(5, TimeUnit.SECONDS));
        assertEquals("stored victim", queued.get(1).get(5, TimeUnit.SECONDS));
        assertEquals(List.of("first", "a", "victim"), committed);
        assertEquals(List.of(1, 2, 1, 1, 1), transactionSizes, "group, a alone, the victim twice");
    }

    @Test
    void manyCallersAtOnceAllGetTheirOwnResultOnTwoLanes() throws Exception {
        start(2);
        List<String> wrong = new CopyOnWriteArrayList<>();
        Thread[] callers = new Thread[8];
        for (int t = 0; t < callers.length; t++) {
            int caller = t;
            callers[t] = new Thread(() -> {
                for (int i = 0; i < 200; i++) {
                    String request = "c" + caller + "-" + i;
                    if (!commits.write(request).equals("stored " + request)) {
                        wrong.add(request);
                    }
                }
            });
            callers[t].start();
        }
        for (Thread t : callers) {
            t.join(30_000);
        }
        assertEquals(List.of(), wrong, "every caller got its own result");
        assertEquals(1_600, committed.size());
        assertEquals(1_600, committed.stream().distinct().count());
        assertEquals(1_600, transactionSizes.stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void stoppingFailsWhatIsStillQueued() throws Exception {
        start(1);
        hold = new CountDownLatch(1);
        commits.submit("first");
        awaitTaken();
        CompletableFuture<String> queued = commits.submit("queued");
        commits.stop(100);
        ExecutionException e = assertThrows(ExecutionException.class, () -> queued.get(5, TimeUnit.SECONDS));
        assertInstanceOf(RetryLaterException.class, e.getCause(), "a caller may try again (503, a Kafka retry)");
        ExecutionException late = assertThrows(ExecutionException.class,
                () -> commits.submit("late").get(1, TimeUnit.SECONDS));
        assertInstanceOf(RetryLaterException.class, late.getCause());
    }

    /**
     * Holds the lane inside a first write, queues {@code requests} behind it (so they make the next
     * group), lets it go on once the first has committed; their futures, in order.
     */
    private List<CompletableFuture<String>> queuedBehindAWrite(String... requests) throws Exception {
        hold = new CountDownLatch(1);
        CompletableFuture<String> first = commits.submit("first");
        awaitTaken();
        List<CompletableFuture<String>> queued = java.util.Arrays.stream(requests).map(commits::submit).toList();
        hold.countDown();
        assertEquals("stored first", first.get(5, TimeUnit.SECONDS));
        return queued;
    }

    /** Until the lane has taken the first request and waits inside its write. */
    private void awaitTaken() throws InterruptedException {
        assertTrue(entered.tryAcquire(5, TimeUnit.SECONDS));
    }
}

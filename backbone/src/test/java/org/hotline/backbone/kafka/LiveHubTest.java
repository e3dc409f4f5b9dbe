package org.hotline.backbone.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.helpers.test.AssertSubscriber;

/**
 * A live screen that takes its items slowly keeps its stream and gets every item, in order; a fast
 * screen is not held back by it. (A bare BroadcastProcessor ended the slow one's stream with a
 * BackPressureFailure at the second item.)
 */
class LiveHubTest {

    private static final int MANY = 1_000;

    private final ExecutorService publishers = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() {
        publishers.shutdownNow();
    }

    @Test
    void aSlowSubscriberTakingOneItemAtATimeGetsEveryItemInOrder() throws Exception {
        LiveHub<Integer> hub = new LiveHub<>();
        AssertSubscriber<Integer> slow = hub.stream().subscribe().withSubscriber(AssertSubscriber.create(1));

        // published from another thread while the subscriber asks for one item at a time
        CountDownLatch published = new CountDownLatch(1);
        publishers.submit(() -> {
            IntStream.range(0, MANY).forEach(hub::publish);
            published.countDown();
        });
        for (int i = 1; i < MANY; i++) {
            slow.awaitItems(i);
            slow.assertNotTerminated();
            slow.request(1);
        }
        published.await(30, TimeUnit.SECONDS);
        slow.awaitItems(MANY).assertNotTerminated();
        assertEquals(IntStream.range(0, MANY).boxed().toList(), slow.getItems());
    }

    @Test
    void aFastSubscriberIsNotHeldBackByASlowOne() {
        LiveHub<Integer> hub = new LiveHub<>();
        AssertSubscriber<Integer> slow = hub.stream().subscribe().withSubscriber(AssertSubscriber.create(1));
        AssertSubscriber<Integer> fast = hub.stream().subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        assertEquals(2, hub.subscribers());

        IntStream.range(0, MANY).forEach(hub::publish);

        // the fast one has everything while the slow one has taken a single item
        assertEquals(MANY, fast.getItems().size());
        fast.assertNotTerminated();
        assertEquals(List.of(0), slow.getItems());
        slow.assertNotTerminated();

        slow.request(MANY);
        slow.awaitItems(MANY).assertNotTerminated();
        assertEquals(fast.getItems(), slow.getItems());

        slow.cancel();
        assertEquals(1, hub.subscribers());
    }

    @Test
    void publishingFromManyThreadsAtOnceLosesNothing() throws Exception {
        LiveHub<Integer> hub = new LiveHub<>();
        AssertSubscriber<Integer> reader = hub.stream().subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        CountDownLatch start = new CountDownLatch(1);
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int from = t * MANY;
            done.add(publishers.submit(() -> {
                start.await();
                IntStream.range(from, from + MANY).forEach(hub::publish);
                return null;
            }));
        }
        start.countDown();
        for (var f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        reader.awaitItems(4 * MANY).assertNotTerminated();
        assertEquals(4 * MANY, reader.getItems().stream().distinct().count());
    }
}

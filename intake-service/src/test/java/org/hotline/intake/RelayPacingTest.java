package org.hotline.intake;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.hotline.backbone.testing.InfraResource;
import org.hotline.intake.service.TicketService;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Under load the outbox relay does not make a pass (a transaction and a Kafka request) per commit:
 * commits that come less than {@code hotline.outbox.min-pass-interval} (50 ms) after a pass began
 * share the next one. Every event still reaches Kafka.
 */
@QuarkusTest
@WithTestResource(InfraResource.class)
class RelayPacingTest {

    private static final int TICKETS = 30;

    @Inject
    MeterRegistry registry;
    @Inject
    TicketService tickets;

    @Test
    void cancellationsInQuickSuccessionSharePassesAndAllReachKafka() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < TICKETS; i++) {
            ids.add(UUID.fromString(TestData.create()));
        }
        awaitNothingUnpublished();
        double publishedBefore = counter("hotline.outbox.published");
        double passesBefore = counter("hotline.outbox.passes");
        long start = System.nanoTime();
        for (UUID id : ids) {
            tickets.cancel(id, "caller withdrew"); // a transaction each: a commit, and a wake of the relay
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                .until(() -> counter("hotline.outbox.published") - publishedBefore >= TICKETS);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        double passes = counter("hotline.outbox.passes") - passesBefore;
        // passes begin at least 50 ms apart, so this holds however slow the machine; a pass per
        // commit (some 30 of them within a few hundred ms here) would not
        assertTrue(passes <= elapsedMs / 50.0 + 2, passes + " passes for " + TICKETS + " commits in " + elapsedMs + " ms");
        awaitNothingUnpublished(); // every one of them on Kafka
    }

    private void awaitNothingUnpublished() {
        await().atMost(Duration.ofSeconds(30)).until(() -> TestData.count("outbox_event where published_at is null") == 0);
    }

    private double counter(String name) {
        return registry.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }
}

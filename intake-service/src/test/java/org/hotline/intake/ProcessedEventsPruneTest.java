package org.hotline.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.hotline.backbone.inbox.ProcessedEventsPruner;
import org.hotline.backbone.testing.InfraResource;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/** processed_event stays bounded: ids past the deduplication retention (14 days) are forgotten, recent ones kept. */
@QuarkusTest
@WithTestResource(InfraResource.class)
class ProcessedEventsPruneTest {

    @Inject
    ProcessedEventsPruner pruner;

    @Inject
    EntityManager em;

    @Test
    void idsOlderThanTheRetentionAreForgottenAndRecentOnesAndOtherServicesIdsAreKept() {
        String old = remember("intake-service", Duration.ofDays(15));
        String recent = remember("intake-service", Duration.ofDays(13));
        String otherService = remember("sla-timer-service", Duration.ofDays(15));

        assertTrue(pruner.pruneOnce() >= 1);

        assertEquals(0, count(old), "past the retention: forgotten");
        assertEquals(1, count(recent), "a redelivery of a 13-day-old event is still recognised");
        assertEquals(1, count(otherService), "a service sharing the database prunes only its own ids");
    }

    private String remember(String consumer, Duration age) {
        String id = UUID.randomUUID().toString();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("insert into processed_event"
                + " (consumer, event_id, event_type, processed_at) values (?1, ?2, 'test.event', ?3)")
                .setParameter(1, consumer).setParameter(2, id).setParameter(3, Instant.now().minus(age))
                .executeUpdate());
        return id;
    }

    private long count(String id) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from processed_event where event_id = ?1").setParameter(1, id).getSingleResult())
                .longValue());
    }
}

package org.hotline.intake;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.hotline.backbone.testing.InfraResource;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * While events cannot reach Kafka the hotline keeps taking calls: readiness stays up (the outbox
 * holds the events, and readiness has no Kafka check at all), and the stuck outbox shows where
 * monitoring looks: the wellness check and the oldest-waiting gauge. The broker itself stays up
 * (it is shared by the whole suite): the outage is an event it cannot take (its topic does not
 * exist), two minutes old, at the head of the outbox; once it is removed everything behind it is
 * published.
 */
@QuarkusTest
@WithTestResource(InfraResource.class)
class KafkaOutageTest {

    @Inject
    EntityManager em;

    @Test
    void readinessStaysUpAndTicketsAreAcceptedWhileTheOutboxCannotDrainWhichMonitoringSees() {
        String stuckTopic = "no-such-topic-" + UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("insert into outbox_event"
                + " (event_id, topic, event_key, type, payload, created_at) values (?1, ?2, 'k', 'test.stuck', '{}', ?3)")
                .setParameter(1, UUID.randomUUID()).setParameter(2, stuckTopic)
                .setParameter(3, Instant.now().minus(Duration.ofMinutes(2))).executeUpdate());
        try {
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> RestAssured.get("/q/health/well").then()
                    .statusCode(503)
                    .body("checks.find { it.name == 'outbox-relay' }.status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'outbox-relay' }.data.oldestWaitingSeconds", greaterThanOrEqualTo(120)));

            // readiness asks the database only: no Kafka or outbox check, and SmallRye's messaging
            // readiness check lists no channel, so none can take the API out of rotation
            RestAssured.get("/q/health/ready").then().statusCode(200)
                    .body("checks.name", everyItem(not(anyOf(containsStringIgnoringCase("kafka"),
                            containsStringIgnoringCase("outbox")))))
                    .body("checks.find { it.name.contains('Messaging') }.data", nullValue())
                    .body("checks.name", hasItem(containsStringIgnoringCase("database")));
            String ticket = TestData.create();
            assertTrue(unpublished(ticket) == 1, "the new ticket's event waits in the outbox");
            await().atMost(Duration.ofSeconds(20)).until(() -> RestAssured.get("/q/metrics").asString().lines()
                    .filter(l -> l.startsWith("hotline_outbox_oldest_waiting_seconds"))
                    .anyMatch(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)) >= 120));
        } finally {
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("delete from outbox_event where topic = ?1")
                    .setParameter(1, stuckTopic).executeUpdate());
        }
        // Kafka "back": everything that waited is published, nothing lost
        await().atMost(Duration.ofSeconds(40)).until(() -> unpublished(null) == 0);
        RestAssured.get("/q/health/well").then().statusCode(200);
    }

    /** Events still waiting: the ticket's, or all. */
    private long unpublished(String ticket) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from outbox_event where published_at is null"
                        + (ticket == null ? "" : " and event_key = '" + ticket + "'")).getSingleResult()).longValue());
    }
}

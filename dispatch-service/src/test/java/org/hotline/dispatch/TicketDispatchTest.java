package org.hotline.dispatch;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hotline.backbone.testing.BusyRequestThreads;
import org.hotline.backbone.testing.EventProbe;
import org.hotline.backbone.testing.EventSchemas;
import org.hotline.backbone.testing.InfraResource;
import org.hotline.backbone.testing.PolledBatch;
import org.hotline.dispatch.messaging.TicketEventsConsumer;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

@QuarkusTest
@WithTestResource(InfraResource.class)
class TicketDispatchTest {

    static final String EXAMPLE_TICKET = "0b6f7c1e-2a44-4d6b-9f3e-8c2d1a5b7e90";
    static final String EXAMPLE_EVENT = "5f0c7a52-8d0e-4a8e-9d0b-3a1c2f4e6b01";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    TicketEventsConsumer consumer;

    @ConfigProperty(name = "quarkus.thread-pool.max-threads")
    int requestThreads;

    EventProbe probe() {
        return EventProbe.shared(bootstrap, "ticket-events", "dispatch-events", "dispatch-service.dlq");
    }

    /** The documented example of ticket.received, with fresh ids so each test has its own ticket. */
    static String[] exampleTicketReceived() {
        String ticket = UUID.randomUUID().toString();
        String event = EventSchemas.example("ticket.received.json").replace(EXAMPLE_TICKET, ticket)
                .replace(EXAMPLE_EVENT, UUID.randomUUID().toString());
        return new String[] {ticket, event};
    }

    @Test
    void aReceivedTicketIsAutoDispatchedToTheTopRecommendationAndThatIsPublished() {
        String[] t = exampleTicketReceived();
        // grid wukang-02 is this test's alone, so its worker has free capacity
        probe().send("ticket-events", t[0], t[1].replace("wukang-03", "wukang-02"));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> StreetFixture.asDispatcher("wukang").get("/api/dispatch/tickets/" + t[0])
                .then().statusCode(200).body("stage", equalTo("DISPATCHED")).body("assignments", hasSize(1))
                .body("assignments[0].role", equalTo("LEAD")).body("assignments[0].automatic", equalTo(true))
                // a noise complaint in grid wukang-02: the grid's own worker ranks first
                .body("assignments[0].unitId", equalTo("wk-grid-02")));

        await().atMost(Duration.ofSeconds(20)).until(() -> !probe().ofType(t[0], "assignment.created").isEmpty());
        EventProbe.Seen published = probe().ofType(t[0], "assignment.created").get(0);
        assertEquals(t[0], published.key());
        assertEquals(java.util.Set.of(), EventSchemas.violations(published.value()));
    }

    @Test
    void aRedeliveredEventChangesNothing() {
        String[] t = exampleTicketReceived();
        probe().send("ticket-events", t[0], t[1]);
        probe().send("ticket-events", t[0], t[1]);
        // a later event on the same partition proves both copies were consumed
        String[] marker = exampleTicketReceived();
        probe().send("ticket-events", t[0], marker[1]);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> StreetFixture.asDispatcher("wukang").get("/api/dispatch/tickets/" + marker[0])
                .then().statusCode(200));
        StreetFixture.asDispatcher("wukang").get("/api/dispatch/tickets/" + t[0]).then().statusCode(200).body("assignments", hasSize(1));
        // the marker's effects committed after both copies': a second dispatch would be in the outbox by now
        assertEquals(1L, StreetFixture.outboxed(t[0], "assignment.created"));
        await().atMost(Duration.ofSeconds(20)).until(() -> !probe().ofType(t[0], "assignment.created").isEmpty());
        assertEquals(1, probe().ofType(t[0], "assignment.created").size());
    }

    @Test
    void aPoisonRecordIsDeadLetteredWithItsReasonAndTheConsumerCarriesOn() {
        String key = "poison-" + UUID.randomUUID();
        probe().send("ticket-events", key, "{not json");
        String[] next = exampleTicketReceived();
        probe().send("ticket-events", next[0], next[1]);

        await().atMost(Duration.ofSeconds(20)).until(() -> !probe().about(key).stream()
                .filter(s -> s.topic().equals("dispatch-service.dlq")).toList().isEmpty());
        EventProbe.Seen dead = probe().about(key).stream().filter(s -> s.topic().equals("dispatch-service.dlq"))
                .findFirst().orElseThrow();
        assertEquals("{not json", dead.value(), "the record is kept as it came");
        assertTrue(dead.headers().get("dead-letter-reason").contains("not JSON"), dead.headers().toString());
        assertEquals("ticket-events", dead.headers().get("dead-letter-topic"));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> StreetFixture.asDispatcher("wukang").get("/api/dispatch/tickets/" + next[0])
                .then().statusCode(200).body("stage", equalTo("DISPATCHED")));
    }

    /**
     * A batch that fails (here on a malformed ticket.received) is applied again one by one, where
     * nothing of the batch is known beforehand: each ticket is looked up alone, so the good ticket
     * is still queued and dispatched once though it came twice, and the bad record alone is
     * dead-lettered.
     */
    @Test
    void aTicketReceivedTwiceInAFailingBatchIsStillDispatchedOnce() {
        String street = StreetFixture.street();
        StreetFixture.unit(street, "a", "GRID_WORKER", List.of("NOISE"), 3, StreetFixture.LAT, StreetFixture.LON);
        String[] t = StatementsPerTicketTest.received(street, 1).get(0);
        String malformed = exampleTicketReceived()[1].replaceFirst("\"ticketId\": \"[0-9a-f-]+\"",
                "\"ticketId\": \"not-a-uuid\"");
        PolledBatch batch = PolledBatch.of("ticket-events", t[0],
                List.of(t[1], malformed, StatementsPerTicketTest.again(t)[1]));

        consumer.processTicketEvents(batch.batch());

        assertEquals(List.of(1L), batch.deadLettered);
        assertEquals(List.of(2L), batch.acknowledged);
        StreetFixture.ticketView(t[0]).body("stage", equalTo("DISPATCHED")).body("assignments", hasSize(1));
        assertEquals(1L, StreetFixture.outboxed(t[0], "assignment.created"));
    }

    /**
     * The people's requests must not hold automatic dispatch back: with every request thread busy
     * and more requests waiting for one, a received ticket is still dispatched. (Under load with the
     * load generator's people on, the consumer's batches queued on the worker pool behind the
     * command room's and field teams' requests, and automatic dispatch fell 20-40 s behind.) The
     * blocking tasks stand in for requests on the very pool Quarkus serves them from.
     */
    @Test
    void aReceivedTicketIsDispatchedWhileEveryRequestThreadIsBusy() throws InterruptedException {
        try (BusyRequestThreads busy = new BusyRequestThreads(requestThreads)) {
            String[] t = exampleTicketReceived();
            probe().send("ticket-events", t[0], t[1]);
            // read from the database: a request to the service would itself wait for a thread
            await().atMost(Duration.ofSeconds(20)).until(() -> StreetFixture.outboxed(t[0], "assignment.created") == 1);
        }
    }

    @Test
    void recommendationsComeRankedWithReasons() {
        String[] t = exampleTicketReceived();
        probe().send("ticket-events", t[0], t[1]);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> StreetFixture.asDispatcher("wukang").get("/api/dispatch/tickets/" + t[0])
                .then().statusCode(200));
        List<String> units = StreetFixture.asDispatcher("wukang").get("/api/dispatch/tickets/" + t[0] + "/recommendations")
                .then().statusCode(200).body("[0].rank", equalTo(1)).extract().path("unitId");
        assertTrue(units.size() > 1, "several units handle noise in wukang");
        assertTrue(units.stream().noneMatch(u -> u.startsWith("wk-cg")), "city management does not handle noise");
    }
}

package org.hotline.sla;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hotline.backbone.testing.EventProbe;
import org.hotline.backbone.testing.InfraResource;
import org.hotline.backbone.testing.TestTokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The console's deadline board (issue #14): a street's tickets with a clock counting, nearest real
 * deadline first (breached first), each with its clocks; a ticket whose stages are all met leaves
 * it; another street is 403.
 */
@QuarkusTest
@WithTestResource(InfraResource.class)
class DeadlineBoardTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    EventProbe probe() {
        return EventProbe.shared(bootstrap, "ticket-events");
    }

    String received(String street, Instant reported) {
        String ticket = UUID.randomUUID().toString();
        probe().send("ticket-events", ticket, Events.example("ticket.received", ticket,
                Map.of("street", street, "reportedAt", reported, "receivedAt", reported)));
        return ticket;
    }

    @Test
    void aStreetsOpenClocksNearestDeadlineFirst() {
        String street = "board-" + UUID.randomUUID().toString().substring(0, 8);
        String dispatcher = TestTokens.dispatcher("d-board", street);
        Instant now = Instant.now();
        // test profile: 13830 runs 20x faster (respond 3 s); reported in the future so nothing breaches meanwhile
        String later = received(street, now.plusSeconds(3600));
        String sooner = received(street, now.plusSeconds(1800));
        String past = received(street, now.minusSeconds(60)); // already breached when armed
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> TestTokens.as(dispatcher).get("/api/sla/board").then()
                .statusCode(200).body("tickets", hasSize(3)));
        List<String> order = TestTokens.as(dispatcher).get("/api/sla/board").then().statusCode(200)
                .body("tickets[0].light", equalTo("RED"))
                .body("tickets[1].nextStage", equalTo("RESPOND"))
                .body("tickets[1].clocks.stage", equalTo(List.of("RESPOND", "DISPATCH_CONTACT", "ON_SCENE", "RESOLVE")))
                .body("tickets[1].light", equalTo("GREEN"))
                .extract().path("tickets.ticketId");
        assertEquals(List.of(past, sooner, later), order);

        // every stage met: the ticket leaves the board
        for (String stage : List.of("RESPOND", "DISPATCH_CONTACT", "ON_SCENE", "RESOLVE")) {
            probe().send("dispatch-events", sooner, Events.stageEnded(sooner, stage, Instant.now()));
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<String> left = TestTokens.as(dispatcher).get("/api/sla/board").then().statusCode(200).extract().path("tickets.ticketId");
            assertFalse(left.contains(sooner), "a ticket with every stage met is off the board");
        });

        // scope: another street's dispatcher 403, its supervisor and the county read it
        TestTokens.as(TestTokens.dispatcher("d-other", "elsewhere")).queryParam("street", street).get("/api/sla/board").then()
                .statusCode(403).contentType(startsWith("application/problem+json"));
        TestTokens.as(TestTokens.dispatcher("d-other", "elsewhere")).get("/api/sla/board").then().statusCode(200)
                .body("tickets.ticketId", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(later)));
        TestTokens.as(TestTokens.supervisor("s-county", "county")).queryParam("street", street).get("/api/sla/board").then()
                .statusCode(200).body("count", equalTo(2));
        TestTokens.as(dispatcher).queryParam("limit", 0).get("/api/sla/board").then().statusCode(400)
                .body("errors[0].field", equalTo("limit"));
    }
}

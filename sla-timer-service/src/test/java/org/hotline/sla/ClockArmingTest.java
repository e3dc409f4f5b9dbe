package org.hotline.sla;

import static org.hotline.sla.Api.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hotline.backbone.testing.EventProbe;
import org.hotline.backbone.testing.EventSchemas;
import org.hotline.backbone.testing.InfraResource;
import org.hotline.sla.repository.TimerRepository;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(InfraResource.class)
class ClockArmingTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @jakarta.inject.Inject
    TimerRepository timers;

    EventProbe probe() {
        return EventProbe.shared(bootstrap, "ticket-events");
    }

    @Test
    void aReceivedTicketGetsThe13830ClocksCountedFromTheTimeTheCitizenReported() {
        String ticket = UUID.randomUUID().toString();
        Instant reported = Instant.parse("2026-11-23T02:15:10Z");
        String event = EventSchemas.example("ticket.received.json")
                .replace("0b6f7c1e-2a44-4d6b-9f3e-8c2d1a5b7e90", ticket)
                .replace("5f0c7a52-8d0e-4a8e-9d0b-3a1c2f4e6b01", UUID.randomUUID().toString());
        probe().send("ticket-events", ticket, event);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/sla/tickets/" + ticket + "/clocks")
                .then().statusCode(200).body("", hasSize(4)));

        // 13830: 1, 3, 8 and 30 minutes after the report
        List<String> deadlines = given().get("/api/sla/tickets/" + ticket + "/clocks").then()
                .body("stage", equalTo(List.of("RESPOND", "DISPATCH_CONTACT", "ON_SCENE", "RESOLVE")))
                .body("policy", equalTo(List.of("13830", "13830", "13830", "13830")))
                .extract().path("deadline");
        assertEquals(List.of(reported.plusSeconds(60), reported.plusSeconds(180), reported.plusSeconds(480),
                reported.plusSeconds(1800)), deadlines.stream().map(Instant::parse).toList());
        // each stage: a warning, a breach and three escalation levels, all durable rows
        assertEquals(20L, io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .call(() -> timers.count("ticketId", UUID.fromString(ticket))));

        // each started clock is announced with its real deadline and warning point (dispatch orders
        // its queue by them instead of a copy of the limits)
        EventProbe sla = EventProbe.shared(bootstrap, "sla-events");
        await().atMost(Duration.ofSeconds(20)).until(() -> sla.ofType(ticket, "sla.stage-started").size() == 4);
        for (EventProbe.Seen seen : sla.ofType(ticket, "sla.stage-started")) {
            assertEquals(java.util.Set.of(), EventSchemas.violations(seen.value()), seen.value());
        }
        List<String> announced = sla.ofType(ticket, "sla.stage-started").stream()
                .map(s -> s.json().path("data").path("stage").asText() + " " + s.json().path("data").path("deadline").asText()
                        + " " + s.json().path("data").path("warnAt").asText())
                .sorted().toList();
        assertEquals(List.of("DISPATCH_CONTACT " + reported.plusSeconds(180) + " " + reported.plusSeconds(144),
                "ON_SCENE " + reported.plusSeconds(480) + " " + reported.plusSeconds(384),
                "RESOLVE " + reported.plusSeconds(1800) + " " + reported.plusSeconds(1440),
                "RESPOND " + reported.plusSeconds(60) + " " + reported.plusSeconds(48)), announced);
    }

    @Test
    void anUnknownTicketHasNoClocks() {
        given().get("/api/sla/tickets/" + UUID.randomUUID() + "/clocks").then().statusCode(404);
    }
}

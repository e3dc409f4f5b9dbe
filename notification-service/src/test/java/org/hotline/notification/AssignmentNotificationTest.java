package org.hotline.notification;

import static org.hotline.notification.AdminApi.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hotline.backbone.testing.EventProbe;
import org.hotline.backbone.testing.EventSchemas;
import org.hotline.backbone.testing.InfraResource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(InfraResource.class)
@WithTestResource(ProviderServer.class)
class AssignmentNotificationTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    EventProbe probe() {
        return EventProbe.shared(bootstrap, "dispatch-events");
    }

    @Test
    void theAssignedUnitIsToldOnceEvenWhenTheEventIsDeliveredTwice() {
        String ticket = UUID.randomUUID().toString();
        String event = EventSchemas.example("assignment.created.json")
                .replace("0b6f7c1e-2a44-4d6b-9f3e-8c2d1a5b7e90", ticket)
                .replace("9a3e1f0c-6b7d-4c2a-8e5f-1d2c3b4a5f60", UUID.randomUUID().toString());
        probe().send("dispatch-events", ticket, event);
        probe().send("dispatch-events", ticket, event);
        // a later event for the same key proves the duplicate was consumed, not merely still queued
        String later = UUID.randomUUID().toString();
        probe().send("dispatch-events", ticket, event.replace("\"subject\": \"" + ticket, "\"subject\": \"" + later)
                .replace("\"ticketId\": \"" + ticket, "\"ticketId\": \"" + later)
                .replaceFirst("\"id\": \"[^\"]+\"", "\"id\": \"" + UUID.randomUUID() + "\""));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().queryParam("ticketId", later)
                .get("/api/notifications").then().statusCode(200).body("", hasSize(1)));
        given().queryParam("ticketId", ticket).get("/api/notifications").then().statusCode(200)
                .body("", hasSize(1))
                .body("[0].recipient", equalTo("unit:wk-grid-03"))
                .body("[0].channel", equalTo("CONSOLE"))
                .body("[0].text", containsString("【派单】"))
                .body("[0].text", containsString("英溪北路 88 号"));
        // the console row is delivered (pushed to the street's screens) by the worker
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().queryParam("ticketId", ticket)
                .get("/api/notifications").then().statusCode(200)
                .body("[0].status", equalTo("SENT"))
                .body("[0].attempts", equalTo(1))
                .body("[0].street", equalTo("wukang")));
    }

    @Test
    void aMalformedUnitUpdateIsSetAsideAndTheConsumerCarriesOn() {
        String unit = "t-bad-" + UUID.randomUUID().toString().substring(0, 8);
        probe().send("unit-events", unit, "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID()
                + "\",\"source\":\"/x\",\"type\":\"unit.updated\",\"subject\":\"" + unit
                + "\",\"time\":\"2026-11-23T02:00:00Z\",\"data\":{\"name\":\"no id\"}}");
        String good = "t-good-" + UUID.randomUUID().toString().substring(0, 8);
        probe().send("unit-events", good, ProducerEvents.unitUpdated(good, java.time.Instant.now(), java.util.List.of()));
        await().atMost(Duration.ofSeconds(20)).until(() -> io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .call(() -> org.hotline.notification.model.UnitProjection.findById(good) != null));
        EventProbe dlq = EventProbe.shared(bootstrap, "notification-service.dlq");
        await().atMost(Duration.ofSeconds(20)).until(() -> dlq.about(unit).size() == 1);
        assertEquals("unit.updated without unitId", dlq.about(unit).get(0).headers().get("dead-letter-reason"));
    }

    @Test
    void askingWithoutATicketIsAProblem() {
        given().get("/api/notifications").then().statusCode(400).body("errors[0].field", equalTo("ticketId"));
    }
}

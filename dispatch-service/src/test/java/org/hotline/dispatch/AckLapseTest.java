package org.hotline.dispatch;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hotline.backbone.testing.EventProbe;
import org.hotline.backbone.testing.InfraResource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** WAGE_ARREARS lapses after 2 s in the test profile (dispatch.categories.WAGE_ARREARS.ack-timeout). */
@QuarkusTest
@WithTestResource(InfraResource.class)
class AckLapseTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    EventProbe probe() {
        return Fx.probe(bootstrap);
    }

    @Test
    void anUnacknowledgedOfferPassesToTheNextUnitAndWithNoneLeftReturnsToTheCommandRoom() {
        String street = Fx.street();
        String first = Fx.unit(street, "labor", "OTHER", List.of("WAGE_ARREARS"), 3, Fx.LAT, Fx.LON);
        String second = Fx.unit(street, "dqs", "MEDIATION", List.of("WAGE_ARREARS"), 3, 30.56, 119.98);
        String ticket = Fx.ticket(probe(), street, "WAGE_ARREARS");
        Fx.ticketView(ticket).body("assignments[0].unitId", equalTo(first));

        JsonNode lapsed = Fx.event(probe(), ticket, "assignment.ack-lapsed", 0);
        assertEquals(first, lapsed.path("unitId").asText());
        assertEquals(second, lapsed.path("nextUnitId").asText());
        JsonNode next = Fx.event(probe(), ticket, "assignment.created", 1);
        assertEquals("ACK_LAPSE", next.path("reason").asText());
        assertEquals(second, next.path("unitId").asText());
        assertEquals(true, next.path("automatic").asBoolean());

        // nobody left who has not had it: the ticket waits for the command room
        JsonNode last = Fx.event(probe(), ticket, "assignment.ack-lapsed", 1);
        assertEquals(second, last.path("unitId").asText());
        assertFalse(last.has("nextUnitId"));
        await().atMost(Fx.WAIT).untilAsserted(() -> Fx.ticketView(ticket).body("stage", equalTo("NEW"))
                .body("assignments.status", org.hamcrest.Matchers.contains("LAPSED", "LAPSED")));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> probe().ofType(ticket, "assignment.ack-lapsed").size() == 2);
        Fx.allValid(probe(), ticket);
        RestAssured.given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("hotline_dispatch_ack_lapses_total"));
    }

    @Test
    void anAcknowledgedOfferNeverLapses() {
        String street = Fx.street();
        String unit = Fx.unit(street, "labor", "OTHER", List.of("WAGE_ARREARS"), 3, Fx.LAT, Fx.LON);
        Fx.unit(street, "dqs", "MEDIATION", List.of("WAGE_ARREARS"), 3, 30.56, 119.98);
        String ticket = Fx.ticket(probe(), street, "WAGE_ARREARS");
        Fx.field(unit, Fx.assignmentOf(ticket, unit), "acknowledge", null).statusCode(200);
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
                .until(() -> probe().ofType(ticket, "assignment.ack-lapsed").isEmpty());
        Fx.ticketView(ticket).body("assignments[0].status", equalTo("ACKNOWLEDGED"));
    }
}

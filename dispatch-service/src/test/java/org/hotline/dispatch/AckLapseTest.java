package org.hotline.dispatch;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
        return StreetFixture.probe(bootstrap);
    }

    @Test
    void anUnacknowledgedOfferPassesToTheNextUnitAndWithNoneLeftReturnsToTheCommandRoom() {
        String street = StreetFixture.street();
        String first = StreetFixture.unit(street, "labor", "OTHER", List.of("WAGE_ARREARS"), 3, StreetFixture.LAT, StreetFixture.LON);
        String second = StreetFixture.unit(street, "dqs", "MEDIATION", List.of("WAGE_ARREARS"), 3, 30.56, 119.98);
        String ticket = StreetFixture.ticket(probe(), street, "WAGE_ARREARS");
        StreetFixture.ticketView(ticket).body("assignments[0].unitId", equalTo(first));

        JsonNode lapsed = StreetFixture.event(probe(), ticket, "assignment.ack-lapsed", 0);
        assertEquals(first, lapsed.path("unitId").asText());
        assertEquals(second, lapsed.path("nextUnitId").asText());
        JsonNode next = StreetFixture.event(probe(), ticket, "assignment.created", 1);
        assertEquals("ACK_LAPSE", next.path("reason").asText());
        assertEquals(second, next.path("unitId").asText());
        assertEquals(true, next.path("automatic").asBoolean());

        // nobody left who has not had it: the ticket waits for the command room
        JsonNode last = StreetFixture.event(probe(), ticket, "assignment.ack-lapsed", 1);
        assertEquals(second, last.path("unitId").asText());
        assertFalse(last.has("nextUnitId"));
        await().atMost(StreetFixture.WAIT).untilAsserted(() -> StreetFixture.ticketView(ticket).body("stage", equalTo("NEW"))
                .body("assignments.status", org.hamcrest.Matchers.contains("LAPSED", "LAPSED")));
        // an offer made after this ticket ran out of units lapses: the worker has passed this ticket since
        laterOfferLapses();
        assertEquals(2L, StreetFixture.outboxed(ticket, "assignment.ack-lapsed"));
        assertEquals(2, probe().ofType(ticket, "assignment.ack-lapsed").size());
        StreetFixture.allValid(probe(), ticket);
        RestAssured.given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("hotline_dispatch_ack_lapses_total"));
    }

    /**
     * A new ticket's offer, in a street of its own, made now and left unacknowledged: returns once
     * it lapsed, which proves the ack-timeout worker ran past every offer made before it.
     */
    private void laterOfferLapses() {
        String street = StreetFixture.street();
        StreetFixture.unit(street, "labor", "OTHER", List.of("WAGE_ARREARS"), 3, StreetFixture.LAT, StreetFixture.LON);
        String marker = StreetFixture.ticket(probe(), street, "WAGE_ARREARS");
        StreetFixture.event(probe(), marker, "assignment.ack-lapsed", 0);
    }

    @Test
    void anAcknowledgedOfferNeverLapses() {
        String street = StreetFixture.street();
        String unit = StreetFixture.unit(street, "labor", "OTHER", List.of("WAGE_ARREARS"), 3, StreetFixture.LAT, StreetFixture.LON);
        StreetFixture.unit(street, "dqs", "MEDIATION", List.of("WAGE_ARREARS"), 3, 30.56, 119.98);
        String ticket = StreetFixture.ticket(probe(), street, "WAGE_ARREARS");
        StreetFixture.field(unit, StreetFixture.assignmentOf(ticket, unit), "acknowledge", null).statusCode(200);
        // an offer made after this one, left unacknowledged, lapses: this one's deadline has passed too
        laterOfferLapses();
        assertEquals(0L, StreetFixture.outboxed(ticket, "assignment.ack-lapsed"));
        assertEquals(List.of(), probe().ofType(ticket, "assignment.ack-lapsed"));
        StreetFixture.ticketView(ticket).body("assignments[0].status", equalTo("ACKNOWLEDGED"));
    }
}

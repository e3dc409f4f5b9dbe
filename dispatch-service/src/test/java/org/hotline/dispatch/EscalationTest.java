package org.hotline.dispatch;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hotline.backbone.testing.EventProbe;
import org.hotline.backbone.testing.EventSchemas;
import org.hotline.backbone.testing.InfraResource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@WithTestResource(InfraResource.class)
class EscalationTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    EventProbe probe() {
        return StreetFixture.probe(bootstrap);
    }

    /** An sla.escalated as the SLA service publishes it (validated against its schema). */
    static String escalated(String eventId, String ticket, String street, String action) {
        String json = """
                {"specversion":"1.0","id":"%s","source":"/hotline/sla-timer-service","type":"sla.escalated",
                 "subject":"%s","time":"2026-11-23T02:25:10.020Z","datacontenttype":"application/json",
                 "data":{"ticketId":"%s","stage":"ON_SCENE","round":0,"policy":"13830","policyVersion":1,
                  "street":"%s","category":"NOISE","unitType":"GRID_WORKER","deadline":"2026-11-23T02:23:10Z",
                  "startedAt":"2026-11-23T02:15:10Z","dueAt":"2026-11-23T02:25:10Z","firedAt":"2026-11-23T02:25:10.020Z",
                  "latenessMs":20,"late":false,"level":1,"recipient":"COMMAND_ROOM_SUPERVISOR","action":"%s"}}
                """.formatted(eventId, ticket, ticket, street, action);
        assertEquals(Set.of(), EventSchemas.violations(json));
        return json;
    }

    @Test
    void aRedispatchAskedByAnEscalationPassesTheLeadOnOnceEvenIfRedelivered() throws Exception {
        String street = StreetFixture.street();
        String first = StreetFixture.unit(street, "a", "GRID_WORKER", List.of("NOISE"), 3, StreetFixture.LAT, StreetFixture.LON);
        String second = StreetFixture.unit(street, "b", "POLICE_STATION", List.of("NOISE"), 3, 30.56, 119.98);
        String ticket = StreetFixture.ticket(probe(), street, "NOISE");
        String eventId = UUID.randomUUID().toString();
        String event = escalated(eventId, ticket, street, "REDISPATCH");
        probe().send("sla-events", ticket, event);
        probe().send("sla-events", ticket, event);

        JsonNode taken = StreetFixture.event(probe(), ticket, "escalation.action-taken", 0);
        assertEquals("DONE", taken.path("outcome").asText());
        assertEquals("REDISPATCH", taken.path("action").asText());
        assertEquals(eventId, taken.path("escalationEventId").asText());
        assertEquals(second, taken.path("unitId").asText());
        JsonNode created = StreetFixture.event(probe(), ticket, "assignment.created", 1);
        assertEquals("ESCALATION", created.path("reason").asText());
        assertEquals("LEAD", created.path("role").asText());
        StreetFixture.ticketView(ticket).body("assignments.find { it.unitId == '" + first + "' }.status", equalTo("WITHDRAWN"));
        // a later escalation on the same partition proves the duplicate was consumed and changed nothing:
        // the ticket's events are published in decision order, so the next action taken is the marker's
        String marker = UUID.randomUUID().toString();
        probe().send("sla-events", ticket, escalated(marker, ticket, street, "REDISPATCH"));
        JsonNode none = StreetFixture.event(probe(), ticket, "escalation.action-taken", 1);
        assertEquals(marker, none.path("escalationEventId").asText());
        assertEquals("NO_UNIT_AVAILABLE", none.path("outcome").asText());
        assertEquals(2, StreetFixture.outboxed(ticket, "escalation.action-taken"));
        assertEquals(2, StreetFixture.outboxed(ticket, "assignment.created"));
        StreetFixture.allValid(probe(), ticket);
    }

    @Test
    void aBackupAskedByAnEscalationAddsAnAssistingUnit() {
        String street = StreetFixture.street();
        String lead = StreetFixture.unit(street, "a", "GRID_WORKER", List.of("NOISE"), 3, StreetFixture.LAT, StreetFixture.LON);
        String backup = StreetFixture.unit(street, "b", "LAW_ENFORCEMENT", List.of("NOISE"), 3, 30.56, 119.98);
        String ticket = StreetFixture.ticket(probe(), street, "NOISE");
        probe().send("sla-events", ticket, escalated(UUID.randomUUID().toString(), ticket, street, "ADD_BACKUP"));
        JsonNode taken = StreetFixture.event(probe(), ticket, "escalation.action-taken", 0);
        assertEquals("DONE", taken.path("outcome").asText());
        assertEquals("ASSIST", taken.path("role").asText());
        StreetFixture.ticketView(ticket).body("assignments.find { it.unitId == '" + lead + "' }.status", equalTo("OFFERED"))
                .body("assignments.find { it.unitId == '" + backup + "' }.role", equalTo("ASSIST"))
                .body("assignments.find { it.unitId == '" + backup + "' }.reason", equalTo("ESCALATION"));
        // an escalation without an action is for people, not for dispatch
        String noAction = escalated(UUID.randomUUID().toString(), ticket, street, "REDISPATCH")
                .replace(",\"action\":\"REDISPATCH\"", "");
        probe().send("sla-events", ticket, noAction);
        // a later escalation with an action, on the same partition: the next action taken is its own
        String marker = UUID.randomUUID().toString();
        probe().send("sla-events", ticket, escalated(marker, ticket, street, "ADD_BACKUP"));
        assertEquals(marker, StreetFixture.event(probe(), ticket, "escalation.action-taken", 1)
                .path("escalationEventId").asText());
        assertEquals(2, StreetFixture.outboxed(ticket, "escalation.action-taken"));
    }

    @Test
    void aRedispatchEscalationForAStageAlreadyMetLeavesTheLeadAlone() {
        String street = StreetFixture.street();
        String lead = StreetFixture.unit(street, "a", "GRID_WORKER", List.of("NOISE"), 3, StreetFixture.LAT, StreetFixture.LON);
        StreetFixture.unit(street, "b", "POLICE_STATION", List.of("NOISE"), 3, 30.56, 119.98);
        String ticket = StreetFixture.ticket(probe(), street, "NOISE");
        String a = StreetFixture.assignmentOf(ticket, lead);
        StreetFixture.field(lead, a, "acknowledge", null).statusCode(200);
        StreetFixture.field(lead, a, "arrive", null).statusCode(200);
        // the ON_SCENE timer fired while the unit was arriving
        String eventId = UUID.randomUUID().toString();
        probe().send("sla-events", ticket, escalated(eventId, ticket, street, "REDISPATCH"));
        JsonNode taken = StreetFixture.event(probe(), ticket, "escalation.action-taken", 0);
        assertEquals("STAGE_ALREADY_MET", taken.path("outcome").asText());
        assertEquals(eventId, taken.path("escalationEventId").asText());
        assertEquals(0, probe().ofType(ticket, "assignment.withdrawn").size());
        assertEquals(1, probe().ofType(ticket, "assignment.created").size());
        StreetFixture.ticketView(ticket).body("assignments", org.hamcrest.Matchers.hasSize(1))
                .body("assignments[0].unitId", equalTo(lead)).body("assignments[0].status", equalTo("ON_SCENE"));
        // an escalation of another round is stale too (RESOLVE itself is not met yet)
        probe().send("sla-events", ticket, escalated(UUID.randomUUID().toString(), ticket, street, "ADD_BACKUP")
                .replace("\"stage\":\"ON_SCENE\",\"round\":0", "\"stage\":\"RESOLVE\",\"round\":1"));
        assertEquals("STAGE_ALREADY_MET", StreetFixture.event(probe(), ticket, "escalation.action-taken", 1).path("outcome").asText());
        StreetFixture.ticketView(ticket).body("assignments", org.hamcrest.Matchers.hasSize(1));
        StreetFixture.allValid(probe(), ticket);
    }
}

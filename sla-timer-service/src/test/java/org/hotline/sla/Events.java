package org.hotline.sla;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.hotline.backbone.testing.EventSchemas;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The documented example events, with a fresh event id, the given ticket and overridden data fields. */
final class Events {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Events() {
    }

    static String example(String type, String ticketId, Map<String, Object> data) {
        try {
            ObjectNode event = (ObjectNode) JSON.readTree(EventSchemas.example(type + ".json"));
            event.put("id", UUID.randomUUID().toString());
            event.put("subject", ticketId);
            event.put("time", Instant.now().toString());
            ObjectNode d = (ObjectNode) event.get("data");
            d.put("ticketId", ticketId);
            data.forEach((k, v) -> d.set(k, JSON.valueToTree(v instanceof Instant i ? i.toString() : v)));
            return JSON.writeValueAsString(event);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** ticket.repeat-reported or ticket.repeat-overridden (intake's repeat contract, docs/events.md). */
    static String repeat(String type, String ticketId, String repeatId) {
        try {
            ObjectNode event = (ObjectNode) JSON.readTree(example("ticket.cancelled", ticketId, Map.of()));
            event.put("type", type);
            ObjectNode d = JSON.createObjectNode();
            d.put("ticketId", ticketId);
            d.put("repeatId", repeatId);
            d.put("repeatCount", 1);
            d.put("source", "HOTLINE_12345");
            d.put("matchedBy", "PHONE");
            d.put("reportedAt", Instant.now().toString());
            event.set("data", d);
            return JSON.writeValueAsString(event);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String ticketReceived(String ticketId, Instant reportedAt) {
        return example("ticket.received", ticketId, Map.of("reportedAt", reportedAt, "receivedAt", reportedAt));
    }

    static String stageEnded(String ticketId, String stage, Instant at) {
        return example("ticket.taken", ticketId, Map.of("stageEnded", stage, "occurredAt", at));
    }
}

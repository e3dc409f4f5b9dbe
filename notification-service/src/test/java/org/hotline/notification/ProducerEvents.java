package org.hotline.notification;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Contract-shaped CloudEvents (/tmp/contracts.md, docs/events.md) as the producers publish them,
 * for the tests to put on the topics.
 */
final class ProducerEvents {

    static final ObjectMapper JSON = new ObjectMapper();

    private ProducerEvents() {
    }

    static String event(String id, String source, String type, String subject, Instant time, Map<String, Object> data) {
        ObjectNode e = JSON.createObjectNode();
        e.put("specversion", "1.0");
        e.put("id", id);
        e.put("source", source);
        e.put("type", type);
        e.put("subject", subject);
        e.put("time", time.toString());
        e.put("datacontenttype", "application/json");
        e.set("data", JSON.valueToTree(data));
        try {
            return JSON.writeValueAsString(e);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    static String dispatch(String type, String ticket, Instant time, Map<String, Object> data) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("ticketId", ticket);
        d.put("street", "wukang");
        d.put("occurredAt", time.toString());
        d.putAll(data);
        return event(UUID.randomUUID().toString(), "/hotline/dispatch-service", type, ticket, time, d);
    }

    /** An assignment.created as published before dispatch named the members to tell (no notifyMemberIds). */
    static String assignmentCreated(String ticket, String assignment, String unit, Instant time) {
        return assignmentCreated(ticket, assignment, unit, time, null);
    }

    /** An assignment.created naming the members dispatch's roster has on duty. */
    static String assignmentCreated(String ticket, String assignment, String unit, Instant time, List<String> notify) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("ticketId", ticket);
        d.put("assignmentId", assignment);
        d.put("unitId", unit);
        d.put("unitName", "网格员 测试网格");
        d.put("unitType", "GRID_WORKER");
        d.put("role", "LEAD");
        d.put("automatic", true);
        d.put("street", "wukang");
        d.put("category", "NOISE");
        d.put("address", "武康街道英溪北路 88 号 3 幢");
        d.put("dispatchedAt", time.toString());
        d.put("reason", "DISPATCH");
        d.put("recommended", true);
        d.put("callerPhoneMasked", "138****5678");
        d.put("ackDeadline", time.plusSeconds(300).toString());
        if (notify != null) {
            d.put("notifyMemberIds", notify);
        }
        return event(UUID.randomUUID().toString(), "/hotline/dispatch-service", "assignment.created", ticket, time, d);
    }

    static String sla(String type, String ticket, String stage, Instant time, Map<String, Object> extra) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("ticketId", ticket);
        d.put("stage", stage);
        d.put("round", 0);
        d.put("policy", "13830");
        d.put("policyVersion", 1);
        d.put("street", "wukang");
        d.put("category", "NOISE");
        d.put("deadline", time.plusSeconds(60).toString());
        d.put("dueAt", time.toString());
        d.put("firedAt", time.toString());
        d.put("latenessMs", 0);
        d.put("late", false);
        d.putAll(extra);
        return event(UUID.randomUUID().toString(), "/hotline/sla-timer-service", type, ticket, time, d);
    }

    static String escalated(String ticket, int level, String recipient, Instant time) {
        return sla("sla.escalated", ticket, "RESPOND", time, Map.of("level", level, "recipient", recipient));
    }

    static String repeatReported(String ticket, int count, Instant time) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("ticketId", ticket);
        d.put("repeatId", UUID.randomUUID().toString());
        d.put("repeatCount", count);
        d.put("source", "HOTLINE_12345");
        d.put("matchedBy", "PHONE");
        d.put("category", "NOISE");
        d.put("street", "wukang");
        d.put("reportedAt", time.toString());
        return event(UUID.randomUUID().toString(), "/hotline/intake-service", "ticket.repeat-reported", ticket, time, d);
    }

    /**
     * A documented example (docs/schemas/examples/<type>.json, written by the producer) with a fresh
     * event id, the given time, and strings replaced (ticket and unit ids).
     */
    static String example(String type, Instant time, Map<String, String> replace) {
        String text = org.hotline.backbone.testing.EventSchemas.example(type + ".json");
        for (Map.Entry<String, String> r : replace.entrySet()) {
            text = text.replace(r.getKey(), r.getValue());
        }
        try {
            ObjectNode e = (ObjectNode) JSON.readTree(text);
            e.put("id", UUID.randomUUID().toString());
            e.put("time", time.toString());
            return JSON.writeValueAsString(e);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    record Member(String id, String name, String phone, String start, String end) {
    }

    static String unitUpdated(String unit, Instant time, List<Member> members) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("unitId", unit);
        d.put("name", "网格员 测试网格");
        d.put("type", "GRID_WORKER");
        d.put("street", "wukang");
        d.put("grids", List.of("wukang-03"));
        d.put("categories", List.of("NOISE"));
        d.put("status", "AVAILABLE");
        d.put("capacity", 3);
        d.put("members", members.stream().map(m -> Map.of("memberId", m.id(), "name", m.name(), "phone", m.phone(),
                "role", "GRID_WORKER")).toList());
        d.put("shifts", members.stream().filter(m -> m.start() != null).map(m -> Map.of("memberId", m.id(), "days",
                List.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"), "start", m.start(), "end", m.end())).toList());
        return event(UUID.randomUUID().toString(), "/hotline/dispatch-service", "unit.updated", unit, time, d);
    }
}

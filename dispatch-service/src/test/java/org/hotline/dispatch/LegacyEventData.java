package org.hotline.dispatch;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.hotline.dispatch.model.Assignment;
import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.model.Unit;

/**
 * Dispatch's former untyped event builder, kept verbatim as the reference the typed payloads
 * (messaging/DispatchPayload) are compared with byte for byte ({@code PayloadBytesTest}).
 *
 * The data of a dispatch event: the fields every transition carries (ticketId, street,
 * occurredAt, actor; the assignment, unit, unit type and role where one is concerned) and the
 * type's own. Null values are left out (schemas mark them optional). One builder rather than a
 * record per type: the types share most fields, and docs/schemas holds each type's exact shape.
 */
final class LegacyEventData {

    private final Map<String, Object> map = new LinkedHashMap<>();

    private LegacyEventData() {
    }

    public static LegacyEventData of(DispatchTicket t, Instant occurredAt, String actor) {
        return new LegacyEventData().put("ticketId", t.id.toString()).put("street", t.street)
                .put("occurredAt", occurredAt).put("actor", actor);
    }

    public LegacyEventData assignment(Assignment a, Unit u) {
        return put("assignmentId", a.id.toString()).put("unitId", u.id).put("unitType", u.type.name())
                .put("role", a.role.name());
    }

    public LegacyEventData put(String key, Object value) {
        if (value != null) {
            map.put(key, value instanceof Enum<?> e ? e.name() : value);
        }
        return this;
    }

    public Map<String, Object> map() {
        return map;
    }
}

package org.hotline.dispatch.messaging;

/**
 * The data of a dispatch event: one record per type (docs/schemas/&lt;type&gt;.schema.json), each
 * starting with the fields every transition carries (ticketId, street, occurredAt, actor; then,
 * where one assignment is concerned, assignmentId, unitId, unitType, role) and then the type's own,
 * in the order they go on the wire. Nulls are left out (the schemas mark them optional).
 */
public interface DispatchPayload {

    /** An enum value as it goes on the wire: its name; null stays null (and is left out). */
    static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }
}

package org.hotline.dispatch.messaging;

import java.time.Instant;

/** Data of {@code assignment.created} (docs/schemas/assignment.created.schema.json). */
public record AssignmentCreated(String ticketId, String assignmentId, String unitId, String unitName,
        String unitType, String role, boolean automatic, String street, String category, String address,
        Instant dispatchedAt) {
}

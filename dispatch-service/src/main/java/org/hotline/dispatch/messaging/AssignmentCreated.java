package org.hotline.dispatch.messaging;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Data of {@code assignment.created} (docs/schemas/assignment.created.schema.json). When the caller
 * was already contacted, the first dispatch ends the DISPATCH_CONTACT stage and says so.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AssignmentCreated(String ticketId, String assignmentId, String unitId, String unitName,
        String unitType, String role, boolean automatic, String street, String category, String address,
        Instant dispatchedAt, String stageEnded, Instant occurredAt) {
}

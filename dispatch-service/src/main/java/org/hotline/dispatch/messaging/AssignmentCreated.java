package org.hotline.dispatch.messaging;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Data of {@code assignment.created} (docs/schemas/assignment.created.schema.json). When the caller
 * was already contacted, the first dispatch ends the DISPATCH_CONTACT stage and says so.
 * {@code notifyMemberIds}: the unit's members to tell of the order, by dispatch's duty roster
 * ({@code DutyRoster}); {@code calledIn}: nobody of the unit was on duty, a dispatcher called it in.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AssignmentCreated(String ticketId, String assignmentId, String unitId, String unitName,
        String unitType, String role, boolean automatic, String street, String category, String address,
        Instant dispatchedAt, java.util.List<String> notifyMemberIds, Boolean calledIn, String stageEnded,
        Instant occurredAt) {
}

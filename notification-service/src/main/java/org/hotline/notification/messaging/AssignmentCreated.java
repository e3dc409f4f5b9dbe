package org.hotline.notification.messaging;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What notification reads of {@code assignment.created} (docs/schemas/assignment.created.schema.json).
 * {@code notifyMemberIds}: the members dispatch's duty roster names; null in events published
 * before the field existed (then every member of the unit is told).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AssignmentCreated(UUID ticketId, UUID assignmentId, String unitId, String unitName, String role,
        String street, String category, String address, Instant dispatchedAt, Instant ackDeadline,
        java.util.List<String> notifyMemberIds) {
}

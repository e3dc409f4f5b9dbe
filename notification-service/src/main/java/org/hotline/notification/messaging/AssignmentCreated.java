package org.hotline.notification.messaging;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** What notification reads of {@code assignment.created} (docs/schemas/assignment.created.schema.json). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AssignmentCreated(UUID ticketId, UUID assignmentId, String unitId, String unitName, String role,
        String street, String category, String address, Instant dispatchedAt, Instant ackDeadline) {
}

package org.hotline.dispatch.messaging;

import static org.hotline.dispatch.messaging.DispatchPayload.name;

import java.time.Instant;
import java.util.UUID;

import org.hotline.dispatch.model.Assignment;
import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.model.Unit;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Data of {@code assignment.ack-lapsed}: the lead did not acknowledge in time; the next unit
 * offered the ticket, if any (docs/schemas). Fields in the order they go on the wire; nulls are
 * left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AssignmentAckLapsed(String ticketId, String street, Instant occurredAt, String actor,
        String assignmentId, String unitId, String unitType, String role, Instant lapsedAt, Instant ackDeadline,
        String nextUnitId, UUID nextAssignmentId) implements DispatchPayload {

    public static AssignmentAckLapsed of(DispatchTicket t, Instant at, String actor, Assignment a, Unit u,
            Assignment next) {
        return new AssignmentAckLapsed(t.id.toString(), t.street, at, actor, a.id.toString(), u.id, u.type.name(),
                name(a.role), at, a.ackDeadline, next == null ? null : next.unitId, next == null ? null : next.id);
    }
}

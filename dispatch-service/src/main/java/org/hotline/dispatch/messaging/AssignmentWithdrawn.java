package org.hotline.dispatch.messaging;

import static org.hotline.dispatch.messaging.DispatchPayload.name;

import java.time.Instant;

import org.hotline.dispatch.model.Assignment;
import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.model.Unit;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Data of {@code assignment.withdrawn}: an open assignment was taken away, and why (re-dispatch,
 * escalation, cancellation, close) (docs/schemas). Fields in the order they go on the wire; nulls
 * are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AssignmentWithdrawn(String ticketId, String street, Instant occurredAt, String actor,
        String assignmentId, String unitId, String unitType, String role, String reason) implements DispatchPayload {

    public static AssignmentWithdrawn of(DispatchTicket t, Instant at, String actor, Assignment a, Unit u,
            String reason) {
        return new AssignmentWithdrawn(t.id.toString(), t.street, at, actor, a.id.toString(), u.id, u.type.name(),
                name(a.role), reason);
    }
}

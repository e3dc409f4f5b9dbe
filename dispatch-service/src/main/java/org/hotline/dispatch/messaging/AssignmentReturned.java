package org.hotline.dispatch.messaging;

import static org.hotline.dispatch.messaging.DispatchPayload.name;

import java.time.Instant;

import org.hotline.dispatch.model.Assignment;
import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.model.Unit;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Data of {@code assignment.returned}: the unit sent the order back (退单) with a reason; the
 * dispatcher decides (docs/schemas). Fields in the order they go on the wire; nulls are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AssignmentReturned(String ticketId, String street, Instant occurredAt, String actor,
        String assignmentId, String unitId, String unitType, String role, String reasonCode, String note,
        int returnCount) implements DispatchPayload {

    public static AssignmentReturned of(DispatchTicket t, Instant at, String actor, Assignment a, Unit u,
            String reasonCode, String note) {
        return new AssignmentReturned(t.id.toString(), t.street, at, actor, a.id.toString(), u.id, u.type.name(),
                name(a.role), reasonCode, note, t.returnCount);
    }
}

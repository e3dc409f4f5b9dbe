package org.hotline.dispatch.messaging;

import static org.hotline.dispatch.messaging.DispatchPayload.name;

import java.time.Instant;
import java.util.UUID;

import org.hotline.dispatch.model.Assignment;
import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.model.Unit;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Data of {@code assignment.acknowledged}: the unit took the order (签收); a summoned unit reported
 * in (docs/schemas). Fields in the order they go on the wire; nulls are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AssignmentAcknowledged(String ticketId, String street, Instant occurredAt, String actor,
        String assignmentId, String unitId, String unitType, String role, UUID summonId) implements DispatchPayload {

    public static AssignmentAcknowledged of(DispatchTicket t, Instant at, String actor, Assignment a, Unit u) {
        return new AssignmentAcknowledged(t.id.toString(), t.street, at, actor, a.id.toString(), u.id, u.type.name(),
                name(a.role), a.summonId);
    }
}

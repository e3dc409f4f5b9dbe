package org.hotline.dispatch.messaging;

import static org.hotline.dispatch.messaging.DispatchPayload.name;

import java.time.Instant;

import org.hotline.dispatch.model.Assignment;
import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.model.Unit;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Data of {@code return.accepted} and {@code return.rejected}: the dispatcher's decision on a
 * return, with the unit's reason code (docs/schemas). Fields in the order they go on the wire;
 * nulls are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReturnDecided(String ticketId, String street, Instant occurredAt, String actor, String assignmentId,
        String unitId, String unitType, String role, String reasonCode, String note) implements DispatchPayload {

    public static ReturnDecided of(DispatchTicket t, Instant at, String actor, Assignment a, Unit u, String note) {
        return new ReturnDecided(t.id.toString(), t.street, at, actor, a.id.toString(), u.id, u.type.name(),
                name(a.role), a.returnReasonCode, note);
    }
}

package org.hotline.dispatch.messaging;

import static org.hotline.dispatch.messaging.DispatchPayload.name;

import java.time.Instant;
import java.util.UUID;

import org.hotline.dispatch.model.Assignment;
import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.model.ExtensionRequest;
import org.hotline.dispatch.model.Unit;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Data of {@code extension.denied}: the stage's deadline stays (docs/schemas). Fields in the order
 * they go on the wire; nulls are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExtensionDenied(String ticketId, String street, Instant occurredAt, String actor, String assignmentId,
        String unitId, String unitType, String role, String stage, UUID extensionId, Instant proposedDeadline,
        String reason, String note) implements DispatchPayload {

    public static ExtensionDenied of(DispatchTicket t, Instant at, String actor, Assignment a, Unit u,
            ExtensionRequest e, String note) {
        return new ExtensionDenied(t.id.toString(), t.street, at, actor, a.id.toString(), u.id, u.type.name(),
                name(a.role), e.stage, e.id, e.proposedDeadline, e.reason, note);
    }
}

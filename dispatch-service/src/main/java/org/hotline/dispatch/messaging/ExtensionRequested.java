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
 * Data of {@code extension.requested}: the unit asks for more time on a stage (延期) (docs/schemas).
 * Fields in the order they go on the wire; nulls are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExtensionRequested(String ticketId, String street, Instant occurredAt, String actor,
        String assignmentId, String unitId, String unitType, String role, UUID extensionId, String stage,
        String reason, Instant proposedDeadline) implements DispatchPayload {

    public static ExtensionRequested of(DispatchTicket t, Instant at, String actor, Assignment a, Unit u,
            ExtensionRequest e) {
        return new ExtensionRequested(t.id.toString(), t.street, at, actor, a.id.toString(), u.id, u.type.name(),
                name(a.role), e.id, e.stage, e.reason, e.proposedDeadline);
    }
}

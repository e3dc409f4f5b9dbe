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
 * Data of {@code extension.approved}: the stage's deadline moves to {@code newDeadline}
 * (docs/schemas). Fields in the order they go on the wire; nulls are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExtensionApproved(String ticketId, String street, Instant occurredAt, String actor, String assignmentId,
        String unitId, String unitType, String role, String stage, Instant newDeadline, String approvedBy,
        String reason, UUID extensionId, String requestedBy, Instant proposedDeadline,
        String note) implements DispatchPayload {

    public static ExtensionApproved of(DispatchTicket t, Instant at, String actor, Assignment a, Unit u,
            ExtensionRequest e, Instant newDeadline, String note) {
        return new ExtensionApproved(t.id.toString(), t.street, at, actor, a.id.toString(), u.id, u.type.name(),
                name(a.role), e.stage, newDeadline, actor, e.reason, e.id, e.requestedBy, e.proposedDeadline, note);
    }
}

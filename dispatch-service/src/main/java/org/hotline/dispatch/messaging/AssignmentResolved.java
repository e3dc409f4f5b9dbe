package org.hotline.dispatch.messaging;

import static org.hotline.dispatch.messaging.DispatchPayload.name;

import java.time.Instant;

import org.hotline.dispatch.model.Assignment;
import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.model.SlaStage;
import org.hotline.dispatch.model.Unit;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Data of {@code assignment.resolved}: the unit reported the work done (办结), with its outcome
 * (docs/schemas). Fields in the order they go on the wire; nulls are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AssignmentResolved(String ticketId, String street, Instant occurredAt, String actor,
        String assignmentId, String unitId, String unitType, String role, String outcome, String note,
        String stageEnded) implements DispatchPayload {

    public static AssignmentResolved of(DispatchTicket t, Instant at, String actor, Assignment a, Unit u,
            String outcome, String note, SlaStage stageEnded) {
        return new AssignmentResolved(t.id.toString(), t.street, at, actor, a.id.toString(), u.id, u.type.name(),
                name(a.role), outcome, note, name(stageEnded));
    }
}

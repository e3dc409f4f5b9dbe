package org.hotline.dispatch.messaging;

import static org.hotline.dispatch.messaging.DispatchPayload.name;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.hotline.dispatch.model.Assignment;
import org.hotline.dispatch.model.AssignmentReason;
import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.model.SlaStage;
import org.hotline.dispatch.model.Unit;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Data of {@code assignment.created}: a unit was given the order; who of it to tell ({@code
 * notifyMemberIds}, by the duty roster; {@code calledIn}: nobody of it was on duty), and the stage
 * it ended, if any (docs/schemas). Fields in the order they go on the wire; nulls are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AssignmentCreated(String ticketId, String street, Instant occurredAt, String actor, String assignmentId,
        String unitId, String unitType, String role, String unitName, boolean automatic, String category,
        String address, Instant dispatchedAt, String reason, boolean recommended, String callerPhoneMasked,
        Instant ackDeadline, UUID summonId, List<String> notifyMemberIds, Boolean calledIn,
        String stageEnded) implements DispatchPayload {

    public static AssignmentCreated of(DispatchTicket t, Instant at, String actor, Assignment a, Unit u,
            boolean automatic, AssignmentReason reason, boolean recommended, List<String> notifyMemberIds,
            boolean calledIn, SlaStage stageEnded) {
        return new AssignmentCreated(t.id.toString(), t.street, at, actor, a.id.toString(), u.id, u.type.name(),
                name(a.role), u.name, automatic, t.category, t.address, at, name(reason), recommended,
                t.callerPhoneMasked, a.ackDeadline, a.summonId, notifyMemberIds, calledIn ? Boolean.TRUE : null,
                name(stageEnded));
    }
}

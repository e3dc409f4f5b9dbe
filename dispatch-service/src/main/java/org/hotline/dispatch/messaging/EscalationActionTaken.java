package org.hotline.dispatch.messaging;

import static org.hotline.dispatch.messaging.DispatchPayload.name;

import java.time.Instant;
import java.util.UUID;

import org.hotline.dispatch.model.Assignment;
import org.hotline.dispatch.model.DispatchTicket;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Data of {@code escalation.action-taken}: what dispatch did on an escalation level that asked it
 * to act, and the assignment it made, if any (docs/schemas). Fields in the order they go on the
 * wire; nulls are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EscalationActionTaken(String ticketId, String street, Instant occurredAt, String actor, String action,
        String escalationEventId, String stage, int level, String outcome, UUID assignmentId, String unitId,
        String role) implements DispatchPayload {

    public static EscalationActionTaken of(DispatchTicket t, Instant at, String actor, String action,
            String escalationEventId, String stage, int level, String outcome, Assignment made) {
        return new EscalationActionTaken(t.id.toString(), t.street, at, actor, action, escalationEventId, stage,
                level, outcome, made == null ? null : made.id, made == null ? null : made.unitId,
                made == null ? null : name(made.role));
    }
}

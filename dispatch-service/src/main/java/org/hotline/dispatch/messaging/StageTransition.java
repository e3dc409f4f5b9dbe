package org.hotline.dispatch.messaging;

import static org.hotline.dispatch.messaging.DispatchPayload.name;

import java.time.Instant;

import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.model.SlaStage;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Data of a console transition ({@code ticket.taken}, {@code caller.contacted}): who acted, when,
 * and the SLA stage it ended, if any (docs/events.md, "Stage-ending events") (docs/schemas).
 * Fields in the order they go on the wire; nulls are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StageTransition(String ticketId, String street, Instant occurredAt, String actor,
        String stageEnded) implements DispatchPayload {

    public static StageTransition of(DispatchTicket t, Instant at, String actor, SlaStage stageEnded) {
        return new StageTransition(t.id.toString(), t.street, at, actor, name(stageEnded));
    }
}

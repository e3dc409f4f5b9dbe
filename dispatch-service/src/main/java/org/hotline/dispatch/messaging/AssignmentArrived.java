package org.hotline.dispatch.messaging;

import static org.hotline.dispatch.messaging.DispatchPayload.name;

import java.time.Instant;

import org.hotline.dispatch.model.Assignment;
import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.model.SlaStage;
import org.hotline.dispatch.model.Unit;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Data of {@code assignment.arrived}: the unit on scene, where it said it was, and whether that
 * was far from the ticket (docs/schemas). Fields in the order they go on the wire; nulls are left
 * out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AssignmentArrived(String ticketId, String street, Instant occurredAt, String actor, String assignmentId,
        String unitId, String unitType, String role, Double latitude, Double longitude, Long distanceMeters,
        boolean flagged, String stageEnded) implements DispatchPayload {

    public static AssignmentArrived of(DispatchTicket t, Instant at, String actor, Assignment a, Unit u,
            Double latitude, Double longitude, SlaStage stageEnded) {
        return new AssignmentArrived(t.id.toString(), t.street, at, actor, a.id.toString(), u.id, u.type.name(),
                name(a.role), latitude, longitude,
                a.arrivalDistanceMeters == null ? null : Math.round(a.arrivalDistanceMeters), a.arrivalFlagged,
                name(stageEnded));
    }
}

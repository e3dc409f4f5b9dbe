package org.hotline.dispatch.rest;

import java.time.Instant;
import java.util.UUID;

import org.hotline.dispatch.model.Assignment;
import org.hotline.dispatch.model.DispatchTicket;

/** An assignment with, for the field team, what it needs to act (no caller personal data beyond the masked phone). */
public record AssignmentView(UUID id, UUID ticketId, String unitId, String role, String status, String reason,
        boolean automatic, boolean recommended, Instant createdAt, String createdBy, UUID summonId,
        Instant ackDeadline, Instant ackedAt, String ackedBy, Instant arrivedAt, Double arrivalDistanceMeters,
        boolean arrivalFlagged, Instant resolvedAt, String outcome, String note, Instant returnedAt,
        String returnReasonCode, String returnNote, String returnDecision, String returnDecidedBy, Instant endedAt,
        String endedReason, TicketBrief ticket) {

    public record TicketBrief(String category, String address, Double latitude, Double longitude, String stage,
            Instant reportedAt, String callerPhoneMasked) {
    }

    public static AssignmentView of(Assignment a, DispatchTicket t) {
        return new AssignmentView(a.id, a.ticketId, a.unitId, a.role.name(), a.status.name(), a.reason.name(),
                a.automatic, a.recommended, a.createdAt, a.createdBy, a.summonId, a.ackDeadline, a.ackedAt, a.ackedBy,
                a.arrivedAt, a.arrivalDistanceMeters, a.arrivalFlagged, a.resolvedAt, a.outcome, a.note, a.returnedAt,
                a.returnReasonCode, a.returnNote, a.returnDecision, a.returnDecidedBy, a.endedAt, a.endedReason,
                t == null ? null : new TicketBrief(t.category, t.address, t.latitude, t.longitude, t.stage.name(),
                        t.reportedAt, t.callerPhoneMasked));
    }
}

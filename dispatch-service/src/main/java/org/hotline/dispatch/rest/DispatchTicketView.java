package org.hotline.dispatch.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.hotline.dispatch.model.Assignment;
import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.model.Stage;

public record DispatchTicketView(UUID id, String street, String grid, String category, String complexity,
        String address, Stage stage, Instant reportedAt, Instant receivedAt, Instant takenAt, String takenBy,
        Instant dispatchedAt, Instant callerContactedAt, List<AssignmentView> assignments) {

    public record AssignmentView(UUID id, String unitId, String role, String status, boolean automatic,
            Instant createdAt) {
        static AssignmentView of(Assignment a) {
            return new AssignmentView(a.id, a.unitId, a.role.name(), a.status.name(), a.automatic, a.createdAt);
        }
    }

    public static DispatchTicketView of(DispatchTicket t, List<Assignment> assignments) {
        return new DispatchTicketView(t.id, t.street, t.grid, t.category, t.complexity, t.address, t.stage,
                t.reportedAt, t.receivedAt, t.takenAt, t.takenBy, t.dispatchedAt, t.callerContactedAt,
                assignments.stream().map(AssignmentView::of).toList());
    }
}

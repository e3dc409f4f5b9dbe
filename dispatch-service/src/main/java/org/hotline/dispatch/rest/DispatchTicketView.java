package org.hotline.dispatch.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.hotline.dispatch.model.Assignment;
import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.model.ExtensionRequest;
import org.hotline.dispatch.model.Stage;
import org.hotline.dispatch.service.DispatchLookup.TicketFile;

public record DispatchTicketView(UUID id, String street, String grid, String category, String complexity,
        String address, Stage stage, Instant reportedAt, Instant receivedAt, Instant takenAt, String takenBy,
        Instant dispatchedAt, Instant callerContactedAt, Instant onSceneAt, Instant resolvedAt, Instant closedAt,
        String closedBy, Instant cancelledAt, int returnCount, int round, List<AssignmentView> assignments,
        List<ExtensionView> extensions) {

    public record ExtensionView(UUID id, UUID assignmentId, String stage, String reason, Instant proposedDeadline,
            String requestedBy, Instant requestedAt, String status, String decidedBy, Instant decidedAt,
            String decisionNote, Instant approvedDeadline) {
        static ExtensionView of(ExtensionRequest e) {
            return new ExtensionView(e.id, e.assignmentId, e.stage, e.reason, e.proposedDeadline, e.requestedBy,
                    e.requestedAt, e.status.name(), e.decidedBy, e.decidedAt, e.decisionNote, e.approvedDeadline);
        }
    }

    public static DispatchTicketView of(TicketFile file) {
        DispatchTicket t = file.ticket();
        List<Assignment> assignments = file.assignments();
        List<ExtensionRequest> ext = file.extensions();
        return new DispatchTicketView(t.id, t.street, t.grid, t.category, t.complexity, t.address, t.stage,
                t.reportedAt, t.receivedAt, t.takenAt, t.takenBy, t.dispatchedAt, t.callerContactedAt, t.onSceneAt,
                t.resolvedAt, t.closedAt, t.closedBy, t.cancelledAt, t.returnCount, t.round,
                assignments.stream().map(a -> AssignmentView.of(a, null)).toList(),
                ext.stream().map(ExtensionView::of).toList());
    }
}

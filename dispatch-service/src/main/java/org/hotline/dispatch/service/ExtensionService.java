package org.hotline.dispatch.service;

import static org.hotline.dispatch.messaging.DispatchEvents.EXTENSION_APPROVED;
import static org.hotline.dispatch.messaging.DispatchEvents.EXTENSION_DENIED;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import org.hotline.backbone.web.ProblemException;
import org.hotline.dispatch.messaging.DispatchEvents;
import org.hotline.dispatch.messaging.ExtensionApproved;
import org.hotline.dispatch.messaging.ExtensionDenied;
import org.hotline.dispatch.model.Assignment;
import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.model.ExtensionRequest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * A supervisor's decision on an extension request (延期): approved (the stage's deadline moves, in
 * the queue at once and in the SLA service by extension.approved) or denied.
 */
@ApplicationScoped
public class ExtensionService {

    private final DispatchEvents events;
    private final Clock clock;
    private final SlaDeadlines deadlines;
    private final DispatchLookup lookup;

    public ExtensionService(DispatchEvents events, Clock clock, SlaDeadlines deadlines, DispatchLookup lookup) {
        this.events = events;
        this.clock = clock;
        this.deadlines = deadlines;
        this.lookup = lookup;
    }

    /** A supervisor approves an extension (延期): extension.approved moves that stage's deadline in the SLA service. */
    @Transactional
    public ExtensionRequest approveExtension(UUID extensionId, String supervisor, Instant newDeadline, String note) {
        ExtensionRequest e = lookup.extension(extensionId);
        DispatchTicket t = lookup.lockTicket(e.ticketId);
        lookup.fresh(e);
        requirePending(t, e);
        Instant deadline = newDeadline != null ? newDeadline : e.proposedDeadline;
        if (!deadline.isAfter(clock.instant())) {
            throw ProblemException.badRequest("newDeadline", "must be in the future");
        }
        e.status = ExtensionRequest.Status.APPROVED;
        e.decidedBy = supervisor;
        e.decidedAt = clock.instant();
        e.decisionNote = note;
        e.approvedDeadline = deadline;
        deadlines.set(t.id, e.stage, t.round, deadline); // the queue orders by the moved deadline at once
        Assignment a = lookup.assignment(e.assignmentId);
        events.publish(EXTENSION_APPROVED, t, ExtensionApproved.of(t, e.decidedAt, supervisor, a,
                lookup.unit(a.unitId), e, deadline, note));
        return e;
    }

    @Transactional
    public ExtensionRequest denyExtension(UUID extensionId, String supervisor, String note) {
        ExtensionRequest e = lookup.extension(extensionId);
        DispatchTicket t = lookup.lockTicket(e.ticketId);
        lookup.fresh(e);
        requirePending(t, e);
        e.status = ExtensionRequest.Status.DENIED;
        e.decidedBy = supervisor;
        e.decidedAt = clock.instant();
        e.decisionNote = note;
        Assignment a = lookup.assignment(e.assignmentId);
        events.publish(EXTENSION_DENIED, t, ExtensionDenied.of(t, e.decidedAt, supervisor, a,
                lookup.unit(a.unitId), e, note));
        return e;
    }

    private void requirePending(DispatchTicket t, ExtensionRequest e) {
        if (!t.stage.open()) {
            throw ProblemException.conflict("ticket " + t.id + " is " + t.stage);
        }
        if (e.status != ExtensionRequest.Status.PENDING) {
            throw ProblemException.conflict("extension " + e.id + " was already " + e.status + " by " + e.decidedBy);
        }
    }
}

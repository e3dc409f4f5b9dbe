package org.hotline.dispatch.service;

import java.util.UUID;

import org.hotline.backbone.web.ProblemException;
import org.hotline.dispatch.model.Assignment;
import org.hotline.dispatch.model.AssignmentReason;
import org.hotline.dispatch.model.AssignmentRole;
import org.hotline.dispatch.model.AssignmentStatus;
import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.model.Unit;
import org.hotline.dispatch.service.Transitions.AssignmentAction;
import org.hotline.dispatch.service.Transitions.TicketAction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * The dispatcher's decision on a unit's return (退单): accepted (a lead's ticket is re-dispatched)
 * or rejected (the order goes back to the unit).
 */
@ApplicationScoped
public class ReturnService {

    private final DispatchLookup lookup;
    private final AssignmentService assigning;
    private final CommandRoomService commandRoom;

    public ReturnService(DispatchLookup lookup, AssignmentService assigning, CommandRoomService commandRoom) {
        this.lookup = lookup;
        this.assigning = assigning;
        this.commandRoom = commandRoom;
    }

    /**
     * The dispatcher accepts a return (退单): for a lead, that is a re-dispatch (to the named unit or
     * the top recommendation), unless another lead already works the ticket: then only the decision
     * is recorded (the current lead is never withdrawn by a stale return).
     */
    @Transactional
    public Assignment acceptReturn(UUID assignmentId, String dispatcher, String unitId, String note) {
        Assignment a = lookup.assignment(assignmentId);
        DispatchTicket t = lookup.lockTicket(a.ticketId);
        lookup.fresh(a);
        requirePendingReturn(t, a, AssignmentAction.ACCEPT_RETURN);
        if (a.role == AssignmentRole.LEAD && assigning.openLead(t.id) == null) {
            return commandRoom.redispatchLocked(t, dispatcher, unitId, note, AssignmentReason.REDISPATCH);
        }
        assigning.decideReturn(t, a, "ACCEPTED", dispatcher, note);
        return a;
    }

    /** The dispatcher rejects a return: the order goes back to the unit, as acknowledged. */
    @Transactional
    public Assignment rejectReturn(UUID assignmentId, String dispatcher, String note) {
        Assignment a = lookup.assignment(assignmentId);
        DispatchTicket t = lookup.lockTicket(a.ticketId);
        lookup.fresh(a);
        AssignmentStatus next = requirePendingReturn(t, a, AssignmentAction.REJECT_RETURN);
        Transitions.check(t, TicketAction.DISPATCH);
        if (a.role == AssignmentRole.LEAD && assigning.openLead(t.id) != null) {
            throw ProblemException.conflict("ticket " + t.id + " has another lead unit now");
        }
        // the order goes back to the unit: it must still be able to take it (the returned assignment
        // is not open, so the capacity and one-assignment-per-ticket checks leave it out)
        Unit u = lookup.lockUnit(a.unitId);
        try {
            assigning.assignable(t, u);
        } catch (ProblemException refused) {
            throw ProblemException.conflict("the return of assignment " + a.id + " cannot be rejected: "
                    + refused.getMessage());
        }
        assigning.decideReturn(t, a, "REJECTED", dispatcher, note);
        a.status = next;
        if (a.ackedAt == null) {
            a.ackedAt = a.returnDecidedAt;
            a.ackedBy = a.returnedBy;
        }
        if (a.role == AssignmentRole.LEAD) {
            t.stage = Transitions.afterLeadAssigned(t.stage);
        }
        return a;
    }

    private AssignmentStatus requirePendingReturn(DispatchTicket t, Assignment a, AssignmentAction action) {
        AssignmentStatus next = Transitions.check(t, a, action);
        if (a.returnDecision != null) {
            throw ProblemException.conflict("the return of assignment " + a.id + " was already " + a.returnDecision
                    + " by " + a.returnDecidedBy);
        }
        return next;
    }
}

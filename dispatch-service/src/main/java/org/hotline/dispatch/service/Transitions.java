package org.hotline.dispatch.service;

import static org.hotline.dispatch.model.AssignmentStatus.ACKNOWLEDGED;
import static org.hotline.dispatch.model.AssignmentStatus.DONE;
import static org.hotline.dispatch.model.AssignmentStatus.LAPSED;
import static org.hotline.dispatch.model.AssignmentStatus.OFFERED;
import static org.hotline.dispatch.model.AssignmentStatus.ON_SCENE;
import static org.hotline.dispatch.model.AssignmentStatus.RETURNED;
import static org.hotline.dispatch.model.AssignmentStatus.WITHDRAWN;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.hotline.backbone.web.ProblemException;
import org.hotline.dispatch.model.Assignment;
import org.hotline.dispatch.model.AssignmentStatus;
import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.model.Stage;

/**
 * The one home of the allowed transitions: which assignment states and ticket stages each action
 * may start from, and where it leads. Every service method asks here before writing anything, so
 * an illegal action is a 409 with nothing half-written.
 */
public final class Transitions {

    private Transitions() {
    }

    /** What can happen to an assignment. */
    public enum AssignmentAction {
        ACKNOWLEDGE(ACKNOWLEDGED, OFFERED),
        ARRIVE(ON_SCENE, ACKNOWLEDGED),
        RESOLVE(DONE, ON_SCENE),
        RETURN(RETURNED, OFFERED, ACKNOWLEDGED),
        /** the dispatcher accepts a return: it stays RETURNED, decided */
        ACCEPT_RETURN(RETURNED, RETURNED),
        /** the dispatcher rejects a return: back to the unit, as acknowledged */
        REJECT_RETURN(ACKNOWLEDGED, RETURNED),
        REQUEST_EXTENSION(null, ACKNOWLEDGED, ON_SCENE),
        WITHDRAW(WITHDRAWN, OFFERED, ACKNOWLEDGED, ON_SCENE),
        LAPSE(LAPSED, OFFERED);

        final AssignmentStatus to;
        final Set<AssignmentStatus> from;

        AssignmentAction(AssignmentStatus to, AssignmentStatus first, AssignmentStatus... rest) {
            this.to = to;
            this.from = EnumSet.of(first, rest);
        }
    }

    /** What can happen to a ticket as a whole. */
    public enum TicketAction {
        TAKE, DISPATCH, CONTACT_CALLER, CLOSE, CANCEL, REOPEN, FIELD_WORK
    }

    private static final Map<TicketAction, Set<Stage>> TICKET_FROM = new EnumMap<>(TicketAction.class);
    static {
        TICKET_FROM.put(TicketAction.TAKE, EnumSet.of(Stage.NEW, Stage.TAKEN, Stage.DISPATCHED, Stage.ON_SCENE));
        TICKET_FROM.put(TicketAction.DISPATCH, EnumSet.of(Stage.NEW, Stage.TAKEN, Stage.DISPATCHED, Stage.ON_SCENE));
        TICKET_FROM.put(TicketAction.CONTACT_CALLER,
                EnumSet.of(Stage.NEW, Stage.TAKEN, Stage.DISPATCHED, Stage.ON_SCENE, Stage.RESOLVED));
        TICKET_FROM.put(TicketAction.CLOSE, EnumSet.of(Stage.RESOLVED));
        TICKET_FROM.put(TicketAction.CANCEL,
                EnumSet.of(Stage.NEW, Stage.TAKEN, Stage.DISPATCHED, Stage.ON_SCENE, Stage.RESOLVED));
        TICKET_FROM.put(TicketAction.REOPEN, EnumSet.of(Stage.RESOLVED, Stage.CLOSED));
        // a unit's work on a ticket: while the ticket is open and not yet resolved by its lead
        // (assisting units may still finish after the lead resolved)
        TICKET_FROM.put(TicketAction.FIELD_WORK,
                EnumSet.of(Stage.NEW, Stage.TAKEN, Stage.DISPATCHED, Stage.ON_SCENE, Stage.RESOLVED));
    }

    /** 409 unless the ticket's stage allows the action. */
    public static void check(DispatchTicket t, TicketAction action) {
        if (!TICKET_FROM.get(action).contains(t.stage)) {
            throw ProblemException.conflict("ticket " + t.id + " is " + t.stage + ": " + words(action)
                    + " is not allowed (allowed when " + TICKET_FROM.get(action) + ")");
        }
    }

    /** 409 unless the ticket is open for field work and the assignment's state allows the action; returns the new state. */
    public static AssignmentStatus check(DispatchTicket t, Assignment a, AssignmentAction action) {
        check(t, TicketAction.FIELD_WORK);
        if (!action.from.contains(a.status)) {
            throw ProblemException.conflict("assignment " + a.id + " is " + a.status + ": " + words(action)
                    + " is not allowed (allowed when " + action.from + ")");
        }
        return action.to == null ? a.status : action.to;
    }

    /** Stage after a dispatch of a lead. */
    public static Stage afterLeadAssigned(Stage s) {
        return s == Stage.NEW || s == Stage.TAKEN || s == Stage.ON_SCENE ? Stage.DISPATCHED : s;
    }

    /** Stage when the ticket has no working lead any more (returned, lapsed without successor). */
    public static Stage afterLeadGone(DispatchTicket t) {
        return t.takenAt != null ? Stage.TAKEN : Stage.NEW;
    }

    private static String words(Enum<?> action) {
        return action.name().toLowerCase().replace('_', ' ');
    }
}

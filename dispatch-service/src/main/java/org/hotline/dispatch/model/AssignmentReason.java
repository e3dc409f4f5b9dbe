package org.hotline.dispatch.model;

/** Why an assignment was made (assignment.created's {@code reason}). */
public enum AssignmentReason {
    DISPATCH, REDISPATCH, BACKUP, ACK_LAPSE, ESCALATION
}

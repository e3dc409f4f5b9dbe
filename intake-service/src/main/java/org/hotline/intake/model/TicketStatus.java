package org.hotline.intake.model;

/** The ticket as intake sees it; the stages in between belong to dispatch. */
public enum TicketStatus {
    RECEIVED, CANCELLED, CLOSED, REOPENED
}

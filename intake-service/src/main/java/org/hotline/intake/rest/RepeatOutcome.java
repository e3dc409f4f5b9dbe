package org.hotline.intake.rest;

import java.util.UUID;

import org.hotline.intake.model.MatchedBy;

/**
 * The answer to a report that was recorded as a repeat (重复件) of an open ticket: no new ticket,
 * no second dispatch. The operator tells the caller the case is already being handled, or
 * overrides ({@code POST /api/tickets/{repeatOf}/repeats/{repeatId}/override}).
 */
public record RepeatOutcome(String outcome, UUID repeatOf, UUID repeatId, int repeatCount, MatchedBy matchedBy,
        TicketView ticket) {
}

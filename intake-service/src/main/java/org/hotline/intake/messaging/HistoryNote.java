package org.hotline.intake.messaging;

/**
 * The data of a history entry that is no event of intake's: the follow-up call's result
 * ({@link FollowUpRecorded}), dispatch's closing of the ticket ({@link ClosedByCommandRoom}).
 */
public sealed interface HistoryNote permits FollowUpRecorded, ClosedByCommandRoom {
}

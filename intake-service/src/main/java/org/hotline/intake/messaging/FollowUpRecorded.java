package org.hotline.intake.messaging;

/** History entry {@code follow-up.recorded}: the follow-up call (回访) and its verdict (null: not reached). */
public record FollowUpRecorded(String followUpId, boolean reached, String satisfaction) implements HistoryNote {
}

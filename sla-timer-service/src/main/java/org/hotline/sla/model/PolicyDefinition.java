package org.hotline.sla.model;

import java.time.Duration;
import java.util.List;

/**
 * A policy as data (stored as JSON, versioned): its stages, each with anchor, time allowed,
 * warning point and escalation ladder. Either {@code duration} (clock time) or
 * {@code workingDays} (counted on the working-day calendar) is set per stage.
 */
public record PolicyDefinition(String code, Names name, List<StageRule> stages) {

    public record Names(String zh, String en) {
    }

    /** What a stage does when the ticket is reopened: keep its result (default) or run again. */
    public enum OnReopen {
        KEEP, RESTART
    }

    /**
     * What a repeat report (重复件: the citizen called again about this open ticket) does to a stage
     * that is already breached: nothing beyond being counted (NONE, the default), or bring its next
     * escalation level forward to now (ESCALATE_NOW: 督办, the repeat call is itself the reminder).
     */
    public enum OnRepeat {
        NONE, ESCALATE_NOW
    }

    public record StageRule(StageName stage, Anchor anchor, Duration duration, Integer workingDays, Double warnAt,
            List<Level> ladder, OnReopen onReopen, OnRepeat onRepeat) {

        /** The warning point, the one place it is computed: 80% of the time allowed unless the rule says. */
        public java.time.Instant warnAt(java.time.Instant start, java.time.Instant deadline) {
            double ratio = warnAt == null ? 0.8 : warnAt;
            return start.plusMillis((long) (Duration.between(start, deadline).toMillis() * ratio));
        }
    }

    /** One escalation step: whom to tell, how long after the breach, and what dispatch should do. */
    public record Level(int level, String recipient, Duration after, String action) {
    }
}

package org.hotline.sla.rest;

import java.time.Duration;
import java.time.Instant;

import org.hotline.sla.model.ClockState;
import org.hotline.sla.model.StageClock;
import org.hotline.sla.model.StageName;

/**
 * What a console needs for a countdown and its light: green while running before the warning
 * point, yellow after it, red once breached (or met late); grey when pending or stopped.
 */
public record StageClockView(StageName stage, int round, String policy, int policyVersion, Instant startedAt, Instant warnAt,
        Instant deadline, Long remainingSeconds, ClockState state, String light, int escalationLevel, Instant metAt,
        int repeats) {

    /** {@code repeats}: repeat reports (重复件) of the ticket so far, the same on every stage. */
    public static StageClockView of(StageClock c, Instant now, int repeats) {
        Long remaining = c.deadline == null ? null : Duration.between(now, c.deadline).toSeconds();
        String light = switch (c.state) {
            case RUNNING -> now.isBefore(c.warnAt) ? "GREEN" : now.isBefore(c.deadline) ? "YELLOW" : "RED";
            case MET -> "GREEN";
            case MET_LATE, BREACHED -> "RED";
            case PENDING, STOPPED -> "GREY";
        };
        return new StageClockView(c.stage, c.round, c.policyCode, c.policyVersion, c.startedAt, c.warnAt, c.deadline,
                c.state == ClockState.RUNNING || c.state == ClockState.BREACHED ? remaining : null, c.state, light,
                c.escalationLevel, c.metAt, repeats);
    }
}

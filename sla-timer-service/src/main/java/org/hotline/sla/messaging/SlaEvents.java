package org.hotline.sla.messaging;

import java.time.Duration;
import java.time.Instant;

import org.hotline.backbone.outbox.Outbox;
import org.hotline.sla.config.SlaConfig;
import org.hotline.sla.model.PolicyDefinition;
import org.hotline.sla.model.StageClock;
import org.hotline.sla.model.Timer;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * What the SLA service tells the others, on {@code sla-events} through the outbox, keyed by ticket:
 * one method per event type, each building its typed payload ({@link ClockEvent}); the schemas in
 * docs/schemas say which fields each type carries.
 */
@ApplicationScoped
public class SlaEvents {

    public static final String WARNING = "sla.warning";
    public static final String BREACHED = "sla.breached";
    public static final String ESCALATED = "sla.escalated";
    public static final String STAGE_MET = "sla.stage-met";
    public static final String BREACH_CORRECTED = "sla.breach-corrected";
    public static final String STAGE_STARTED = "sla.stage-started";

    private final Outbox outbox;
    private final SlaConfig config;

    public SlaEvents(Outbox outbox, SlaConfig config) {
        this.outbox = outbox;
        this.config = config;
    }

    /**
     * The stage's clock started: its deadline and warning point, so others can order work by the
     * real deadline (dispatch's queue) instead of keeping their own copy of the policy's limits.
     */
    public void stageStarted(StageClock c) {
        publish(STAGE_STARTED, c, null, null, null, null, null, null, null);
    }

    /** The stage reached its warning point (a timer, perhaps late). */
    public void warning(StageClock c, Timer t, Instant firedAt) {
        publish(WARNING, c, t.dueAt, firedAt, t.latenessMs, null, null, null, null);
    }

    /** The stage passed its deadline unmet; {@code dueAt}: when the breach was due (deadline + grace). */
    public void breached(StageClock c, Instant dueAt, Instant firedAt) {
        publish(BREACHED, c, dueAt, firedAt, Duration.between(dueAt, firedAt).toMillis(), null, null, null, null);
    }

    /** A ladder level: whom to tell and what dispatch should do. */
    public void escalated(StageClock c, Timer t, PolicyDefinition.Level step, Instant firedAt) {
        publish(ESCALATED, c, t.dueAt, firedAt, t.latenessMs, t.level, step, null, null);
    }

    /** The stage ended at {@code metAt}, on time or not (the clock's outcome says). */
    public void stageMet(StageClock c, Instant metAt) {
        publish(STAGE_MET, c, null, null, null, null, null, metAt, null);
    }

    /** A published breach was wrong: the stage ended by its deadline; the level reached so far goes along. */
    public void breachCorrected(StageClock c, Instant metAt) {
        publish(BREACH_CORRECTED, c, null, null, null, c.escalationLevel == 0 ? null : c.escalationLevel, null, metAt,
                true);
    }

    private void publish(String type, StageClock c, Instant dueAt, Instant firedAt, Long latenessMs, Integer level,
            PolicyDefinition.Level step, Instant metAt, Boolean onTimeOverride) {
        Boolean late = latenessMs == null ? null : latenessMs > config.lateAfter().toMillis();
        Boolean onTime = onTimeOverride != null ? onTimeOverride
                : metAt == null ? null : c.outcome == org.hotline.sla.model.Outcome.ON_TIME;
        Long durationMs = metAt == null || c.startedAt == null ? null : Duration.between(c.startedAt, metAt).toMillis();
        outbox.publish(config.topics().slaEvents(), type, c.ticketId.toString(),
                new ClockEvent(c.ticketId.toString(), c.stage.name(), c.round, c.policyCode, c.policyVersion, c.street,
                        c.category, c.unitType, c.deadline, dueAt, firedAt, latenessMs, late, level,
                        step == null ? null : step.recipient(), step == null ? null : step.action(), c.startedAt, metAt,
                        onTime, durationMs, STAGE_STARTED.equals(type) ? c.warnAt : null));
    }
}

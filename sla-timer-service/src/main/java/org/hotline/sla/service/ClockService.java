package org.hotline.sla.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.hotline.sla.config.SlaConfig;
import org.hotline.sla.messaging.TicketReceived;
import org.hotline.sla.model.Anchor;
import org.hotline.sla.model.ClockState;
import org.hotline.sla.model.Policy;
import org.hotline.sla.model.PolicyDefinition;
import org.hotline.sla.model.StageClock;
import org.hotline.sla.model.Timer;
import org.hotline.sla.model.TimerKind;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Arms a ticket's stage clocks: a clock row per stage and a durable timer row per step. */
@ApplicationScoped
public class ClockService {

    private final PolicyService policies;
    private final SlaConfig config;
    private final Clock clock;

    public ClockService(PolicyService policies, SlaConfig config, Clock clock) {
        this.policies = policies;
        this.config = config;
        this.clock = clock;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void onTicketReceived(TicketReceived t) {
        if (StageClock.count("ticketId", t.ticketId()) > 0) {
            return;
        }
        Policy policy = policies.select(t);
        Instant receipt = t.reportedAt() != null ? t.reportedAt() : t.receivedAt();
        int ordinal = 0;
        for (PolicyDefinition.StageRule rule : policy.definition.stages()) {
            StageClock c = new StageClock();
            c.ticketId = t.ticketId();
            c.stage = rule.stage();
            c.ordinal = ordinal++;
            c.policyId = policy.id;
            c.policyCode = policy.code;
            c.policyVersion = policy.version;
            c.street = t.street();
            c.category = t.category();
            c.escalationLevel = 0;
            c.state = ClockState.PENDING;
            c.persist();
            if (rule.anchor() == Anchor.RECEIPT) {
                start(c, rule, receipt);
            }
        }
    }

    /** Starts a stage's time from its anchor and writes its warning, breach and ladder timers. */
    void start(StageClock c, PolicyDefinition.StageRule rule, Instant anchor) {
        Duration allowed = compress(rule.duration());
        c.startedAt = anchor;
        c.deadline = anchor.plus(allowed);
        c.warnAt = anchor.plus(Duration.ofMillis((long) (allowed.toMillis() * rule.warnRatio())));
        c.state = ClockState.RUNNING;
        timer(c, TimerKind.WARNING, 0, c.warnAt);
        timer(c, TimerKind.BREACH, 0, c.deadline);
        for (PolicyDefinition.Level level : rule.ladder() == null ? List.<PolicyDefinition.Level>of() : rule.ladder()) {
            timer(c, TimerKind.ESCALATION, level.level(), c.deadline.plus(compress(level.after())));
        }
    }

    private static void timer(StageClock c, TimerKind kind, int level, Instant due) {
        Timer t = new Timer();
        t.clockId = c.id;
        t.ticketId = c.ticketId;
        t.kind = kind;
        t.level = level;
        t.dueAt = due;
        t.persist();
    }

    Duration compress(Duration d) {
        return d == null ? Duration.ZERO : d.dividedBy(config.timeCompression());
    }

    public List<StageClock> clocks(UUID ticketId) {
        return StageClock.list("ticketId = ?1 order by ordinal", ticketId);
    }

    public Instant now() {
        return clock.instant();
    }
}

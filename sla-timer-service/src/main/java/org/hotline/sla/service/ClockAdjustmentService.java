package org.hotline.sla.service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.hotline.sla.messaging.TicketRepeat;
import org.hotline.sla.model.ClockState;
import org.hotline.sla.model.PolicyDefinition;
import org.hotline.sla.model.StageClock;
import org.hotline.sla.model.StageName;
import org.hotline.sla.model.Timer;
import org.hotline.sla.model.TimerSkip;
import org.hotline.sla.repository.ClockAdjustmentRepository;
import org.hotline.sla.repository.TicketRepeatRepository;
import org.hotline.sla.repository.TimerRepository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * What moves a running clock's timers, always on record in clock_adjustment: an approved extension
 * (延期) and a repeat report (重复件) that brings an escalation forward (督办).
 */
@ApplicationScoped
public class ClockAdjustmentService {

    private final ClockService clocks;
    private final TimerRepository timers;
    private final ClockAdjustmentRepository adjustments;
    private final TicketRepeatRepository repeats;
    private final Clock clock;

    public ClockAdjustmentService(ClockService clocks, TimerRepository timers, ClockAdjustmentRepository adjustments,
            TicketRepeatRepository repeats, Clock clock) {
        this.clocks = clocks;
        this.timers = timers;
        this.adjustments = adjustments;
        this.repeats = repeats;
        this.clock = clock;
    }

    /**
     * An approved extension (延期) moves the stage's deadline; the adjustment is kept with who,
     * why and the old deadline. A running stage gets its breach and ladder re-armed for the new
     * deadline (and its warning, if that has not fired yet); met by the new deadline it counts as
     * on time. A stage already breached stays breached: the new deadline is recorded and its
     * remaining ladder stops, so no breach or escalation is ever published twice.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void onExtensionApproved(UUID ticketId, StageName stage, Instant newDeadline, String actor, String reason,
            String eventId) {
        StageClock c = ClockService.latest(clocks.lockTicket(ticketId), stage);
        if (c == null || (c.state != ClockState.RUNNING && c.state != ClockState.BREACHED)) {
            return; // no such stage in this policy, or it is over: nothing to move
        }
        Instant now = clock.instant();
        adjustments.record(c.id, ClockAdjustmentRepository.Kind.EXTENSION, c.deadline, newDeadline, reason, actor,
                eventId, now);
        timers.closePending(c.id, now, TimerSkip.DEADLINE_MOVED);
        c.deadline = newDeadline;
        if (c.state == ClockState.BREACHED) {
            return;
        }
        PolicyDefinition.StageRule rule = clocks.rule(c);
        c.warnAt = rule.warnAt(c.startedAt, newDeadline);
        clocks.arm(c, rule, !timers.warningPublished(c.id));
    }

    /**
     * A repeat report (重复件) of this ticket: counted, and never a new clock. Each stage already
     * breached whose pinned policy says ESCALATE_NOW has its next escalation level brought forward
     * to now (the engine fires it, once, as usual), audited as an adjustment; running stages are
     * untouched (the handling unit is told by notification-service).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void onRepeatReported(TicketRepeat repeat, String eventId) {
        List<StageClock> ticketClocks = clocks.lockTicket(repeat.ticketId());
        Instant now = clock.instant();
        if (!repeats.add(repeat.ticketId(), repeat.repeatId(), repeat.reportedAt(), now)) {
            return; // this repeat was applied already
        }
        boolean moved = false;
        for (PolicyDefinition.StageRule rule : clocks.definition(ticketClocks.get(0)).stages()) {
            StageClock c = ClockService.latest(ticketClocks, rule.stage());
            if (c == null || c.state != ClockState.BREACHED || rule.onRepeat() != PolicyDefinition.OnRepeat.ESCALATE_NOW) {
                continue;
            }
            Timer next = timers.nextEscalation(c.id).orElse(null);
            if (next == null || !next.dueAt.isAfter(now)) {
                continue; // top of the ladder reached, or the level is due anyway
            }
            adjustments.record(c.id, ClockAdjustmentRepository.Kind.REPEAT_ESCALATION, next.dueAt, now,
                    "repeat report " + repeat.repeatId() + " brings level " + next.level + " forward", "intake", eventId,
                    now);
            next.dueAt = now;
            moved = true;
        }
        if (moved) {
            clocks.timersArmed();
        }
    }

    /** An operator said "not a repeat": it no longer counts (a level it brought forward stays: it happened). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void onRepeatOverridden(TicketRepeat repeat) {
        clocks.lockTicket(repeat.ticketId());
        repeats.remove(repeat.ticketId(), repeat.repeatId());
    }

    /** Repeat reports counted for the ticket (the console's 重复 badge). */
    public int repeats(UUID ticketId) {
        return repeats.count(ticketId);
    }
}

package org.hotline.dispatch.model;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The SLA stages (names from docs/events.md) and what ends each, in one place: a stage is met
 * once the ticket's own facts say so. A transition that makes a stage met carries it as
 * {@code stageEnded} ({@link #endedSince}); the escalation actions ask {@link #met} whether the
 * stage an escalation names already ended. The SLA service only keeps time: it reads
 * {@code stageEnded} and never decides itself what ends a stage.
 */
public enum SlaStage {
    /** 签收: the command room took the ticket. */
    RESPOND(t -> t.takenAt != null),
    /** Dispatched and the caller contacted, whichever is last. */
    DISPATCH_CONTACT(t -> t.dispatchedAt != null && t.callerContactedAt != null),
    /** The lead unit's first arrival. */
    ON_SCENE(t -> t.onSceneAt != null),
    /** The lead unit reported its result (办结). */
    RESOLVE(t -> t.resolvedAt != null);

    private final Predicate<DispatchTicket> met;

    SlaStage(Predicate<DispatchTicket> met) {
        this.met = met;
    }

    public boolean met(DispatchTicket t) {
        return met.test(t);
    }

    /** The stages the ticket has met so far (of its current round: a reopening clears the facts). */
    public static Set<SlaStage> allMet(DispatchTicket t) {
        Set<SlaStage> out = EnumSet.noneOf(SlaStage.class);
        for (SlaStage s : values()) {
            if (s.met(t)) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * The stage a transition ended: met now, not met before it ({@code before} = {@link #allMet}
     * taken first). Null when it ended none. One transition ends one stage at most.
     */
    public static SlaStage endedSince(Set<SlaStage> before, DispatchTicket t) {
        for (SlaStage s : values()) {
            if (!before.contains(s) && s.met(t)) {
                return s;
            }
        }
        return null;
    }

    /** The stage by name; null for a name dispatch does not know (an escalation of another policy's stage). */
    public static SlaStage named(String name) {
        if (name == null) {
            return null;
        }
        try {
            return valueOf(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}

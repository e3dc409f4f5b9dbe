package org.hotline.sla.model;

/** Why a timer ended without publishing: every timer ends published or with one of these, never silently. */
public enum TimerSkip {
    /** The stage ended before the timer fell due. */
    STAGE_MET,
    /** The ticket was cancelled: its clocks stopped. */
    TICKET_CANCELLED,
    /** An extension moved the deadline; the stage's timers were armed again for the new one. */
    DEADLINE_MOVED,
    /** A published breach was corrected by a late proof of an on-time end: the ladder stops. */
    BREACH_CORRECTED,
    /** A warning that fired at or after its deadline (e.g. after an outage): the breach says more. */
    SUPERSEDED_BY_BREACH,
    /** Its firing failed on every attempt: set aside for an operator, counted and alerted on. */
    QUARANTINED
}

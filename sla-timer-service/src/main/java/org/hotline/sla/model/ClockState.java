package org.hotline.sla.model;

/** A stage clock's state, as a console shows it (红黄灯). */
public enum ClockState {
    /** Chained stage whose anchor has not happened yet. */
    PENDING,
    RUNNING,
    MET,
    /** Met, but after the deadline: still counts as breached. */
    MET_LATE,
    BREACHED,
    /** Cancelled ticket: the clock no longer counts. */
    STOPPED
}

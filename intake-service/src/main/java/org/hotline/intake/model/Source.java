package org.hotline.intake.model;

/** Where a ticket came from. */
public enum Source {
    /** 12345 government-service hotline, posted by an operator. */
    HOTLINE_12345,
    /** A 110 non-police, non-emergency report handed over by the police dispatch system. */
    HANDOVER_110,
    /** The public's mobile app. */
    APP,
    /** A grid worker's patrol. */
    GRID_PATROL
}

package org.hotline.sla.model;

/** Where a stage's clock counts from. */
public enum Anchor {
    /** The time the citizen reported (13830 counts 1, 3, 8, 30 minutes from here). */
    RECEIPT,
    /** The moment the previous stage was met (a chain). */
    PREVIOUS_STAGE
}

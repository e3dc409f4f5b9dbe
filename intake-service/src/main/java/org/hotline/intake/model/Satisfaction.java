package org.hotline.intake.model;

/** The caller's verdict at the follow-up call; a dissatisfied caller reopens the ticket. */
public enum Satisfaction {
    SATISFIED, BASICALLY_SATISFIED, DISSATISFIED
}

package org.hotline.intake.model;

/** Why a report was taken for a repeat (重复件) of an open ticket. */
public enum MatchedBy {
    /** The same caller phone within the window. */
    PHONE,
    /** The same category within the radius, in the window. */
    PROXIMITY
}

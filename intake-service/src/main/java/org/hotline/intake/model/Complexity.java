package org.hotline.intake.model;

/** How hard the case is; the SLA policy's tiers follow it. */
public enum Complexity {
    SIMPLE, GENERAL, COMPLEX
}

package org.hotline.sla.model;

/** A stage's verdict, decided once: met by its deadline, or not. */
public enum Outcome {
    ON_TIME, BREACHED
}

package org.hotline.sla.service;

/** Fired when timers are written; after commit it wakes the engine in case one is earlier than it sleeps. */
public record TimerArmed() {
}

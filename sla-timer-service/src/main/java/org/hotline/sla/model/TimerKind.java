package org.hotline.sla.model;

public enum TimerKind {
    WARNING, BREACH, ESCALATION
}

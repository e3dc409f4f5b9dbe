package org.hotline.dispatch.model;

public enum UnitStatus {
    AVAILABLE, BUSY, OFF_DUTY
}

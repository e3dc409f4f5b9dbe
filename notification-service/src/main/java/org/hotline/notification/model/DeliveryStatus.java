package org.hotline.notification.model;

public enum DeliveryStatus {
    PENDING, SENT, FAILED, DEAD
}

package org.hotline.notification.model;

/** PENDING → SENT; PENDING → RETRYING (after a failed attempt) → SENT or, after the last attempt, DEAD. */
public enum DeliveryStatus {
    PENDING, SENT, RETRYING, DEAD
}

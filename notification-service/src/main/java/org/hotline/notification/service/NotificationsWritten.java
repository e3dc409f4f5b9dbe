package org.hotline.notification.service;

/** Fired when notification rows were written; observed after commit to wake the delivery worker. */
public record NotificationsWritten(int count) {
}

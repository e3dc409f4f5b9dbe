package org.hotline.notification.model;

public enum Channel {
    /** The command-room screen's live stream. */
    CONSOLE,
    WEBHOOK,
    SMS
}

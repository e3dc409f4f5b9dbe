package org.hotline.notification.service;

/** A failed attempt worth retrying; the message is stored as the row's last error. */
public class DeliveryException extends Exception {
    private static final long serialVersionUID = 1L;

    public DeliveryException(String message) {
        super(message);
    }

    public DeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}

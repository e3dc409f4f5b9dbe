package org.hotline.notification.service;

/** The receiver refused the message for good (HTTP 4xx other than 408 and 429). */
public class PermanentDeliveryException extends DeliveryException {
    private static final long serialVersionUID = 1L;

    public PermanentDeliveryException(String message) {
        super(message);
    }
}

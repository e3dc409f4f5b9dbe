package org.hotline.notification.service;

import org.hotline.notification.model.Channel;

/** One delivery channel. {@link #send} returns normally only when the message was accepted. */
public interface ChannelSender {

    Channel channel();

    /**
     * Sends one message. Throws {@link DeliveryException} for a failure worth retrying (5xx, 429,
     * timeout, connection refused) and {@link PermanentDeliveryException} for one that never will
     * succeed (a 4xx refusal): the row goes DEAD at once and the circuit breaker does not count it.
     */
    void send(Delivery d) throws DeliveryException;
}

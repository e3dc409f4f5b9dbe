package org.hotline.notification.service;

import org.hotline.notification.model.Channel;
import org.hotline.notification.rest.NotificationView;

import jakarta.enterprise.context.ApplicationScoped;

/** CONSOLE: pushed to the street's command-room screens (SSE); the row itself is the screen's backlog. */
@ApplicationScoped
public class ConsoleSender implements ChannelSender {

    private final ConsoleHub hub;

    public ConsoleSender(ConsoleHub hub) {
        this.hub = hub;
    }

    @Override
    public Channel channel() {
        return Channel.CONSOLE;
    }

    @Override
    public void send(Delivery d) {
        hub.publish(NotificationView.of(d));
    }
}

package org.hotline.notification.service;

import java.util.HashMap;
import java.util.Map;

import org.hotline.notification.config.NotificationConfig;
import org.hotline.notification.model.Channel;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * SMS: the provider's send API (notification.sms.url) with the stored JSON (requestId, templateId,
 * phone, params, text). requestId is the row id, so a provider that deduplicates on it never sends
 * a retried message twice.
 */
@ApplicationScoped
public class SmsSender implements ChannelSender {

    private final HttpPost http;
    private final NotificationConfig config;

    public SmsSender(NotificationConfig config) {
        this.http = new HttpPost(config.sms().connectTimeout(), config.sms().timeout());
        this.config = config;
    }

    @Override
    public Channel channel() {
        return Channel.SMS;
    }

    @Override
    public void send(Delivery d) throws DeliveryException {
        String url = config.sms().url().orElseThrow(() -> new PermanentDeliveryException("notification.sms.url is not set"));
        Map<String, String> headers = new HashMap<>();
        headers.put("X-Request-Id", d.id().toString());
        config.sms().apiKey().ifPresent(k -> headers.put("X-Api-Key", k));
        http.post(url, d.body(), headers);
    }
}

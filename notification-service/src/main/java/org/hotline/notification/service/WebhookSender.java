package org.hotline.notification.service;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;

import org.hotline.backbone.security.SignedToken;
import org.hotline.notification.config.NotificationConfig;
import org.hotline.notification.model.Channel;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * WEBHOOK: the stored JSON body POSTed to the row's URL, signed. The signature covers the
 * timestamp and the body ({@code HMAC-SHA256(secret, timestamp + "." + body)}, hex), so a receiver
 * that checks it and refuses old timestamps cannot be fed a replayed or altered request.
 */
// created at start, so a packaged service with the development secret stops there (SignedToken.requireSecret)
@io.quarkus.runtime.Startup
@ApplicationScoped
public class WebhookSender implements ChannelSender {

    public static final String SIGNATURE = "X-Hotline-Signature";
    public static final String TIMESTAMP = "X-Hotline-Timestamp";
    public static final String DELIVERY = "X-Hotline-Delivery";
    public static final String EVENT = "X-Hotline-Event";

    private final HttpPost http;
    private final byte[] secret;
    private final Clock clock;

    public WebhookSender(NotificationConfig config, Clock clock) {
        this.http = new HttpPost(config.webhook().connectTimeout(), config.webhook().timeout());
        // receivers trust a request whose signature checks: a public secret would let anyone forge one
        this.secret = SignedToken.requireSecret(config.webhook().secret(), NotificationConfig.Webhook.DEV_SECRET,
                "NOTIFICATION_WEBHOOK_SECRET (notification.webhook.secret)", "webhook receivers check signatures with it");
        this.clock = clock;
    }

    @Override
    public Channel channel() {
        return Channel.WEBHOOK;
    }

    @Override
    public void send(Delivery d) throws DeliveryException {
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        http.post(d.address(), d.body(), Map.of(
                TIMESTAMP, timestamp,
                SIGNATURE, "sha256=" + sign(secret, timestamp, d.body()),
                DELIVERY, d.id().toString(),
                EVENT, d.eventType()));
    }

    /** hex(HMAC-SHA256(secret, timestamp + "." + body)): what a receiver recomputes. */
    public static String sign(byte[] secret, String timestamp, String body) {
        return HexFormat.of().formatHex(SignedToken.hmacSha256(secret,
                (timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    }
}

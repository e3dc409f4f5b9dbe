package org.hotline.notification.rest;

import java.net.URI;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.hotline.backbone.security.Mask;
import org.hotline.notification.service.Delivery;
import org.hotline.notification.model.Channel;
import org.hotline.notification.model.Notification;

/** A notification and its delivery state, as the API and the console stream show it. */
public record NotificationView(UUID id, UUID ticketId, String eventId, String eventType, Instant eventTime,
        String street, String recipient, String recipientName, String recipientRole, String channel, String address,
        String text, String status, int attempts, String lastError, Instant nextAttemptAt, Instant lastAttemptAt,
        Instant sentAt, Instant createdAt) {

    /** What a one-tap link's token is replaced with for readers other than its member. */
    public static final String LINK_HIDDEN = "…";

    public static NotificationView of(Notification n) {
        return new NotificationView(n.id, n.ticketId, n.eventId, n.eventType, n.eventTime, n.street, n.recipient,
                n.recipientName, n.recipientRole, n.channel.name(), n.address, n.text, n.status.name(), n.attempts,
                n.lastError, n.nextAttemptAt, n.lastAttemptAt, n.sentAt, n.createdAt);
    }

    /** As pushed on the console stream at the moment of delivery. */
    public static NotificationView of(Delivery d) {
        return new NotificationView(d.id(), d.ticketId(), d.eventId(), d.eventType(), d.eventTime(), d.street(),
                d.recipient(), d.recipientName(), d.recipientRole(), d.channel().name(), d.address(), d.text(), "SENT",
                d.attempts() + 1, null, null, null, null, d.createdAt());
    }

    /**
     * The view a reader may see. Staff phone numbers are personal data: in full to admin only
     * (delivery troubleshooting), masked (138****0002) to everyone else, also inside a provider's
     * error. A webhook URL may carry the receiver's access token in its query: admin only. The
     * one-tap link's token acknowledges as its member, so only that member sees it.
     */
    public NotificationView forReader(boolean admin, boolean ownMessage, String ackLinkBase) {
        String shownAddress = address;
        if (!admin && address != null) {
            if (Channel.SMS.name().equals(channel)) {
                shownAddress = Mask.phone(address);
            } else if (Channel.WEBHOOK.name().equals(channel)) {
                shownAddress = withoutSecrets(address);
            }
        }
        String shownText = ownMessage ? text : hideAckLinks(text, ackLinkBase);
        String shownError = admin ? lastError : Mask.phonesIn(lastError);
        return new NotificationView(id, ticketId, eventId, eventType, eventTime, street, recipient, recipientName,
                recipientRole, channel, shownAddress, shownText, status, attempts, shownError, nextAttemptAt,
                lastAttemptAt, sentAt, createdAt);
    }

    static String hideAckLinks(String text, String ackLinkBase) {
        if (text == null || ackLinkBase == null || ackLinkBase.isEmpty()) {
            return text;
        }
        return Pattern.compile(Pattern.quote(ackLinkBase) + "[A-Za-z0-9_.-]+").matcher(text)
                .replaceAll(Matcher.quoteReplacement(ackLinkBase + LINK_HIDDEN));
    }

    /** scheme://host[:port]/path: no user info, query or fragment. */
    static String withoutSecrets(String url) {
        try {
            URI u = URI.create(url);
            if (u.getScheme() == null || u.getRawAuthority() == null) {
                return "(webhook)";
            }
            String hostPort = u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
            return u.getScheme() + "://" + hostPort + (u.getRawPath() == null ? "" : u.getRawPath());
        } catch (IllegalArgumentException e) {
            return "(webhook)";
        }
    }
}

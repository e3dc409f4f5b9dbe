package org.hotline.notification.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hotline.backbone.security.SignedToken;
import org.hotline.notification.config.NotificationConfig;
import org.hotline.notification.messaging.NotifiedEvent;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * What one recipient's message says: the template's data, from the event's own fields plus names,
 * labels and local times in the recipient's language, and a field member's one-tap
 * acknowledgement link (a signed token) for a new order.
 */
// created at start, so a missing production ack-link secret stops the service there (SignedToken.sharedSecret)
@io.quarkus.runtime.Startup
@ApplicationScoped
public class MessageData {

    private final NotificationConfig config;
    private final ProjectionService projections;
    private final RecipientResolver recipients;
    private final DisplayNames names;
    private final byte[] ackSecret;
    private final Duration ackTtl;

    public MessageData(NotificationConfig config, ProjectionService projections, RecipientResolver recipients,
            DisplayNames names,
            @ConfigProperty(name = "hotline.ack-token.secret", defaultValue = "dev-ack-secret-change-me") String ackSecret,
            @ConfigProperty(name = "hotline.ack-token.ttl", defaultValue = "PT30M") Duration ackTtl) {
        this.config = config;
        this.projections = projections;
        this.recipients = recipients;
        this.names = names;
        this.ackSecret = SignedToken.sharedSecret(ackSecret);
        this.ackTtl = ackTtl;
    }

    TemplateData of(Occurrence occ, String street, Recipient r, String locale, Instant now) {
        boolean zh = locale.startsWith("zh");
        NotifiedEvent e = occ.event();
        TemplateData m = new TemplateData();
        occ.data().fields().forEachRemaining(f -> {
            if (f.getValue().isValueNode() && !f.getValue().isNull()) {
                m.put(f.getKey(), f.getValue().asText());
            }
        });
        m.put("ticketId", occ.ticketId().toString());
        m.put("ticketShort", occ.ticketId().toString().substring(0, 8));
        m.put("streetName", zh ? names.streetName(street) : street);
        m.put("categoryName", e.category() == null ? "" : zh ? names.categoryName(e.category()) : e.category());
        String address = e.address() != null ? e.address() : projections.address(occ.ticketId());
        m.put("address", address == null ? "" : address);
        String unit = recipients.unitOf(occ);
        m.put("unitName", unit == null ? "" : names.unitName(unit, occ));
        m.put("deadlineLocal", names.local(e.deadline()));
        m.put("ackDeadlineLocal", names.local(e.ackDeadline()));
        m.put("stageName", DisplayNames.label(zh, e.stage()));
        m.put("roleName", DisplayNames.label(zh, e.role()));
        m.put("actionName", DisplayNames.label(zh, e.action()));
        m.put("outcomeName", DisplayNames.label(zh, e.outcome()));
        m.put("matchedByName", DisplayNames.label(zh, e.matchedBy()));
        m.put("recipientName", r.name() == null ? "" : r.name());
        if (r.memberId() != null && "assignment.created".equals(occ.type()) && e.assignmentId() != null) {
            m.put("ackLink", config.ackLinkBase() + SignedToken.sign(ackSecret,
                    Map.of("assignment", e.assignmentId(), "member", r.memberId()), now.plus(ackTtl)));
        }
        return m;
    }
}

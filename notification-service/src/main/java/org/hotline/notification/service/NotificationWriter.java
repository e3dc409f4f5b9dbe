package org.hotline.notification.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.hotline.notification.config.NotificationConfig;
import org.hotline.notification.model.Channel;
import org.hotline.notification.model.DeliveryStatus;
import org.hotline.notification.model.Notification;
import org.hotline.notification.repository.NotificationRepository;
import org.hotline.notification.service.Rules.Target;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

/**
 * Writes who is told what: applies the configured rules to an event, has the recipients resolved,
 * and makes one row per (event, recipient, channel) with the rendered text and the channel's body,
 * written in the consumer's transaction, a batch's rows together. The delivery worker sends the rows afterwards.
 */
@ApplicationScoped
public class NotificationWriter {

    private final Clock clock;
    private final Rules rules;
    private final Templates templates;
    private final ProjectionService projections;
    private final RecipientResolver recipients;
    private final MessageData messages;
    private final ChannelBodies bodies;
    private final NotificationRepository notifications;
    private final Event<NotificationsWritten> written;
    private final Set<String> urgentTypes;

    public NotificationWriter(Clock clock, Rules rules, Templates templates, ProjectionService projections,
            RecipientResolver recipients, MessageData messages, ChannelBodies bodies,
            NotificationRepository notifications, Event<NotificationsWritten> written, NotificationConfig config) {
        this.clock = clock;
        this.rules = rules;
        this.templates = templates;
        this.projections = projections;
        this.recipients = recipients;
        this.messages = messages;
        this.bodies = bodies;
        this.notifications = notifications;
        this.written = written;
        this.urgentTypes = Set.copyOf(config.delivery().urgentTypes());
    }

    public boolean handles(String type) {
        return rules.handles(type);
    }

    /**
     * The event's notifications, as rows to write (in decision order; {@link #write} writes them).
     * Runs in the consumer's transaction, whose projections it reads.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Notification> decide(Occurrence occ) {
        var targets = rules.targets(occ.type(), occ.event().level());
        if (targets.isEmpty()) {
            return List.of();
        }
        String street = occ.event().street();
        if (street == null) {
            ProjectionService.Unit unit = projections.unit(occ.event().unitId());
            street = unit == null ? null : unit.street();
        }
        Instant now = clock.instant();
        Set<String> seen = new HashSet<>();
        List<Notification> rows = new ArrayList<>();
        for (Target target : targets) {
            for (Recipient r : recipients.recipients(target, occ, street)) {
                for (Channel channel : target.channels()) {
                    if (!seen.add(r.id() + "|" + channel)) {
                        continue; // named by two targets: told once per channel
                    }
                    String address = recipients.address(channel, r, street);
                    if (address == null) {
                        continue; // channel not configured, or no phone/URL for this recipient
                    }
                    rows.add(row(occ, street, r, channel, address, now));
                }
            }
        }
        return rows;
    }

    /**
     * Writes rows in the consumer's transaction, in one statement and in list order (a recipient's
     * queue is delivered in that order); the delivery worker is woken once it commits.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void write(List<Notification> rows) {
        if (rows.isEmpty()) {
            return;
        }
        notifications.insert(rows);
        written.fire(new NotificationsWritten(rows.size()));
    }

    private Notification row(Occurrence occ, String street, Recipient r, Channel channel, String address, Instant now) {
        String locale = templates.resolvedLocale(occ.type(), r.locale());
        TemplateData model = messages.of(occ, street, r, locale, now);
        Notification n = new Notification();
        n.id = UUID.randomUUID();
        n.ticketId = occ.ticketId();
        n.eventId = occ.eventId();
        n.eventType = occ.type();
        n.eventTime = occ.time();
        n.street = street;
        n.recipient = r.id();
        n.recipientName = r.name();
        n.recipientRole = r.role();
        n.channel = channel;
        n.address = address;
        n.text = templates.render(occ.type(), r.locale(), model);
        n.body = bodies.body(new ChannelBodies.Row(n.id, n.eventId, n.eventType, n.ticketId, n.eventTime, n.street,
                n.channel, n.address, n.text), occ.data(), r, locale, model);
        n.status = DeliveryStatus.PENDING;
        n.attempts = 0;
        n.nextAttemptAt = now;
        n.priority = urgentTypes.contains(occ.type()) ? Notification.URGENT : Notification.ROUTINE;
        n.createdAt = now;
        return n;
    }
}

package org.hotline.notification.messaging;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Set;
import java.util.UUID;

import org.hotline.backbone.event.CloudEvent;
import org.hotline.backbone.event.EventCodec;
import org.hotline.backbone.event.PoisonEventException;
import org.hotline.backbone.security.Mask;
import org.hotline.notification.service.NotificationWriter;
import org.hotline.notification.service.Occurrence;
import org.hotline.notification.service.ProjectionService;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * What an inbound event does: keeps the projections (units with members and shifts; the units
 * handling each ticket) and, for the types the rules name, writes the notifications. Types neither
 * projected nor named by a rule are ignored.
 */
@ApplicationScoped
public class EventRouter {

    /** The types {@link #handle} keeps a projection from (its switch below); keep the two in step. */
    static final Set<String> PROJECTED = Set.of("unit.updated", "assignment.created", "assignment.withdrawn",
            "assignment.ack-lapsed", "assignment.returned", "return.rejected");

    private final EventCodec codec;
    private final ProjectionService projections;
    private final NotificationWriter notifications;

    public EventRouter(EventCodec codec, ProjectionService projections, NotificationWriter notifications) {
        this.codec = codec;
        this.projections = projections;
        this.notifications = notifications;
    }

    /**
     * Whether {@link #handle} does anything with an event of this type: a projected type or one a
     * rule names. The consumers skip the others unread (no decoding, no inbox row).
     */
    public boolean handles(String type) {
        return PROJECTED.contains(type) || notifications.handles(type);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void handle(CloudEvent event) {
        Instant time = OffsetDateTime.parse(event.time()).toInstant();
        switch (event.type()) {
            case "unit.updated" -> {
                UnitUpdated u = codec.data(event, UnitUpdated.class);
                if (u.unitId() == null || u.unitId().isBlank()) {
                    throw new PoisonEventException("unit.updated without unitId");
                }
                projections.onUnitUpdated(u, time);
                return;
            }
            case "assignment.created" -> {
                AssignmentCreated a = codec.data(event, AssignmentCreated.class);
                if (a.ticketId() == null || a.unitId() == null) {
                    throw new PoisonEventException("assignment.created without ticketId or unitId");
                }
                projections.onAssignmentCreated(a, time);
            }
            // withdrawn, lapsed (offer not acknowledged in time) and returned (退单) orders are no longer
            // worked by that unit: ticket-level events (SLA, repeat reports) must not reach its members
            case "assignment.withdrawn", "assignment.ack-lapsed", "assignment.returned" ->
                projections.setAssignmentActive(assignmentId(event), false);
            // a rejected return puts the order back with the unit that returned it
            case "return.rejected" -> projections.setAssignmentActive(assignmentId(event), true);
            default -> {
            }
        }
        if (notifications.handles(event.type())) {
            NotifiedEvent data = codec.data(event, NotifiedEvent.class);
            UUID ticket = parse(event, data.ticketId() != null ? data.ticketId() : event.subject());
            notifications.notify(new Occurrence(event.id(), event.type(), time, ticket, data, event.data()));
        }
    }

    private UUID assignmentId(CloudEvent event) {
        String id = codec.data(event, AssignmentChange.class).assignmentId();
        return id == null ? null : parse(event, id);
    }

    private static UUID parse(CloudEvent event, String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            // the reason is logged and sent as a DLQ header: a phone put in the wrong field stays masked
            throw new PoisonEventException(event.type() + ": '" + Mask.phonesIn(value) + "' is not a ticket/assignment id (uuid)");
        }
    }
}

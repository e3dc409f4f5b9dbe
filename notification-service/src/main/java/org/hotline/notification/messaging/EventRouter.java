package org.hotline.notification.messaging;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.hotline.backbone.event.CloudEvent;
import org.hotline.backbone.event.EventCodec;
import org.hotline.backbone.event.PoisonEventException;
import org.hotline.backbone.inbox.BatchInbox;
import org.hotline.backbone.security.Mask;
import org.hotline.notification.model.Notification;
import org.hotline.notification.service.NotificationWriter;
import org.hotline.notification.service.Occurrence;
import org.hotline.notification.service.ProjectionService;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * What inbound events do: keep the projections (units with members and shifts; the units handling
 * each ticket) and, for the types the rules name, write the notifications. Types neither projected
 * nor named by a rule are ignored.
 *
 * <p>The consumers' batch handler. A batch's events are applied all at once ({@link #applyBatch}):
 * the projections they read are read once for all of them, each event then applied in order
 * against what was read plus the changes of the events before it, and the new orders, changed
 * orders and notification rows of all of them written at the end, a statement each. The
 * one-by-one replay of a failed batch ({@link #apply}, a transaction per event) applies each event
 * the same way alone.
 */
@ApplicationScoped
public class EventRouter implements BatchInbox.Handler {

    /** The types {@link #project} keeps a projection from (its switch below); keep the two in step. */
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
     * Whether the router does anything with an event of this type: a projected type or one a
     * rule names. The consumers skip the others unread (no decoding, no inbox row).
     */
    public boolean handles(String type) {
        return PROJECTED.contains(type) || notifications.handles(type);
    }

    /** A batch's new events, in record order, in the batch's transaction: all at once. */
    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void applyBatch(List<CloudEvent> events, BatchInbox.Steps steps) {
        applyTogether(events);
    }

    /** One event alone, in its own transaction (a failed batch's one-by-one replay). */
    @Override
    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(CloudEvent event) {
        applyTogether(List.of(event));
    }

    /** An event decoded: what its projection reads ({@code projected}) and, if a rule names it, what may be notified. */
    private record Step(String type, Instant time, Object projected, Occurrence occurrence) {
    }

    private void applyTogether(List<CloudEvent> events) {
        List<Step> steps = events.stream().map(this::decode).toList();
        Set<UUID> tickets = new HashSet<>();
        Set<UUID> orders = new HashSet<>();
        Set<String> units = new HashSet<>();
        for (Step s : steps) {
            if (s.projected() instanceof AssignmentCreated a) {
                tickets.add(a.ticketId());
                orders.add(a.assignmentId());
                units.add(a.unitId());
            } else if (s.projected() instanceof UUID order) {
                orders.add(order);
            }
            if (s.occurrence() != null) {
                tickets.add(s.occurrence().ticketId());
                units.add(s.occurrence().event().unitId());
            }
        }
        projections.read(tickets, orders, units);
        List<Notification> rows = new ArrayList<>();
        for (Step s : steps) {
            project(s);
            if (s.occurrence() != null) {
                rows.addAll(notifications.decide(s.occurrence()));
            }
        }
        projections.write();
        notifications.write(rows);
    }

    private Step decode(CloudEvent event) {
        Instant time = OffsetDateTime.parse(event.time()).toInstant();
        Object projected = switch (event.type()) {
            case "unit.updated" -> {
                UnitUpdated u = codec.data(event, UnitUpdated.class);
                if (u.unitId() == null || u.unitId().isBlank()) {
                    throw new PoisonEventException("unit.updated without unitId");
                }
                yield u;
            }
            case "assignment.created" -> {
                AssignmentCreated a = codec.data(event, AssignmentCreated.class);
                if (a.ticketId() == null || a.unitId() == null) {
                    throw new PoisonEventException("assignment.created without ticketId or unitId");
                }
                yield a;
            }
            case "assignment.withdrawn", "assignment.ack-lapsed", "assignment.returned", "return.rejected" ->
                assignmentId(event);
            default -> null;
        };
        Occurrence occurrence = null;
        if (notifications.handles(event.type())) {
            NotifiedEvent data = codec.data(event, NotifiedEvent.class);
            UUID ticket = parse(event, data.ticketId() != null ? data.ticketId() : event.subject());
            occurrence = new Occurrence(event.id(), event.type(), time, ticket, data, event.data());
        }
        return new Step(event.type(), time, projected, occurrence);
    }

    private void project(Step s) {
        switch (s.type()) {
            case "unit.updated" -> projections.onUnitUpdated((UnitUpdated) s.projected(), s.time());
            case "assignment.created" -> projections.onAssignmentCreated((AssignmentCreated) s.projected(), s.time());
            // withdrawn, lapsed (offer not acknowledged in time) and returned (退单) orders are no longer
            // worked by that unit: ticket-level events (SLA, repeat reports) must not reach its members
            case "assignment.withdrawn", "assignment.ack-lapsed", "assignment.returned" ->
                projections.setAssignmentActive((UUID) s.projected(), false);
            // a rejected return puts the order back with the unit that returned it
            case "return.rejected" -> projections.setAssignmentActive((UUID) s.projected(), true);
            default -> {
            }
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

package org.hotline.dispatch.messaging;

import org.hotline.backbone.outbox.Outbox;
import org.hotline.dispatch.config.DispatchConfig;
import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.service.QueueChanged;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

/** Every dispatch transition goes out here: the outbox row in the caller's transaction, and a queue change for consoles after commit. */
@ApplicationScoped
public class DispatchEvents {

    public static final String ASSIGNMENT_CREATED = "assignment.created";
    public static final String ASSIGNMENT_ACKNOWLEDGED = "assignment.acknowledged";
    public static final String ASSIGNMENT_ARRIVED = "assignment.arrived";
    public static final String ASSIGNMENT_RESOLVED = "assignment.resolved";
    public static final String ASSIGNMENT_RETURNED = "assignment.returned";
    public static final String RETURN_ACCEPTED = "return.accepted";
    public static final String RETURN_REJECTED = "return.rejected";
    public static final String TICKET_PING_PONG = "ticket.ping-pong";
    public static final String ASSIGNMENT_ACK_LAPSED = "assignment.ack-lapsed";
    public static final String ASSIGNMENT_WITHDRAWN = "assignment.withdrawn";
    public static final String EXTENSION_REQUESTED = "extension.requested";
    public static final String EXTENSION_APPROVED = "extension.approved";
    public static final String EXTENSION_DENIED = "extension.denied";
    public static final String TICKET_TAKEN = "ticket.taken";
    public static final String CALLER_CONTACTED = "caller.contacted";
    public static final String TICKET_CLOSED = "ticket.closed";
    public static final String WHISTLE_BLOWN = "whistle.blown";
    public static final String ESCALATION_ACTION_TAKEN = "escalation.action-taken";
    public static final String UNIT_UPDATED = "unit.updated";

    private final Outbox outbox;
    private final DispatchConfig config;
    private final Event<QueueChanged> queueChanged;

    public DispatchEvents(Outbox outbox, DispatchConfig config, Event<QueueChanged> queueChanged) {
        this.outbox = outbox;
        this.config = config;
        this.queueChanged = queueChanged;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void publish(String type, DispatchTicket t, DispatchPayload data) {
        outbox.publish(config.topics().dispatchEvents(), type, t.id.toString(), data);
        queueChanged(t);
    }

    /** A change consoles should see that is not itself a dispatch event (cancel, reopen, new ticket). */
    public void queueChanged(DispatchTicket t) {
        queueChanged.fire(new QueueChanged(t.id, t.street));
    }
}

package org.hotline.sla.messaging;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hotline.backbone.inbox.EventInbox;

import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The SLA service's two inputs, handled alike: intake's ticket events arm, stop and restart clocks;
 * dispatch's events end stages, name the lead unit's type and move deadlines. Each record is
 * deduplicated and applied in one transaction (EventInbox); the router decides what it does.
 */
@ApplicationScoped
public class InboundEventsConsumer {

    private final EventInbox inbox;
    private final SlaEventRouter router;

    public InboundEventsConsumer(EventInbox inbox, SlaEventRouter router) {
        this.inbox = inbox;
        this.router = router;
    }

    @Incoming("ticket-events")
    @Blocking
    public void ticketEvent(String value) {
        inbox.process(value, router::handle);
    }

    @Incoming("dispatch-events")
    @Blocking
    public void dispatchEvent(String value) {
        inbox.process(value, router::handle);
    }
}

package org.hotline.notification.messaging;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hotline.backbone.inbox.EventInbox;

import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The four inputs: dispatch's decisions, SLA clocks, intake's repeat reports and dispatch's unit
 * roster. Each record is deduplicated by event id and applied in one transaction (EventInbox), so a
 * redelivered event writes no second notification; the router decides what it does.
 */
@ApplicationScoped
public class InboundEventsConsumer {

    private final EventInbox inbox;
    private final EventRouter router;

    public InboundEventsConsumer(EventInbox inbox, EventRouter router) {
        this.inbox = inbox;
        this.router = router;
    }

    @Incoming("dispatch-events")
    @Blocking
    public void dispatchEvent(String value) {
        inbox.process(value, router::handle);
    }

    @Incoming("sla-events")
    @Blocking
    public void slaEvent(String value) {
        inbox.process(value, router::handle);
    }

    @Incoming("ticket-events")
    @Blocking
    public void ticketEvent(String value) {
        inbox.process(value, router::handle);
    }

    @Incoming("unit-events")
    @Blocking
    public void unitEvent(String value) {
        inbox.process(value, router::handle);
    }
}

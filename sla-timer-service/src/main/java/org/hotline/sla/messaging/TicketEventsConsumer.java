package org.hotline.sla.messaging;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hotline.backbone.inbox.EventInbox;
import org.hotline.sla.service.SlaEventRouter;

import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;

/** Intake's ticket events: receipt arms the clocks, cancellation stops them, reopening restarts stages. */
@ApplicationScoped
public class TicketEventsConsumer {

    private final EventInbox inbox;
    private final SlaEventRouter router;

    public TicketEventsConsumer(EventInbox inbox, SlaEventRouter router) {
        this.inbox = inbox;
        this.router = router;
    }

    @Incoming("ticket-events")
    @Blocking
    public void consume(String value) {
        inbox.process(value, router::handle);
    }
}

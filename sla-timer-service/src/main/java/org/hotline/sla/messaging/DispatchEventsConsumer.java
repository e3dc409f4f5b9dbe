package org.hotline.sla.messaging;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hotline.backbone.inbox.EventInbox;
import org.hotline.sla.service.SlaEventRouter;

import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;

/** Dispatch's events stop stage clocks, name the lead unit's type, and move deadlines (extensions). */
@ApplicationScoped
public class DispatchEventsConsumer {

    private final EventInbox inbox;
    private final SlaEventRouter router;

    public DispatchEventsConsumer(EventInbox inbox, SlaEventRouter router) {
        this.inbox = inbox;
        this.router = router;
    }

    @Incoming("dispatch-events")
    @Blocking
    public void consume(String value) {
        inbox.process(value, router::handle);
    }
}

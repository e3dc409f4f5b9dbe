package org.hotline.sla.messaging;

import java.util.List;

import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hotline.backbone.event.CloudEvent;
import org.hotline.backbone.inbox.BatchInbox;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The SLA service's two inputs, handled alike: intake's ticket events arm, stop and restart clocks;
 * dispatch's events end stages, name the lead unit's type and move deadlines. A batch of records
 * at a time (BatchInbox): types that cannot change clocks are skipped unread, the others are
 * deduplicated and applied in one transaction; the router decides what each does. A batch's events
 * share its persistence context, so each finds its ticket's clocks as the batch loaded them (no read
 * per event), and its outbox rows go out together after its last event (one statement per batch).
 * Sharing is safe because no statement of the consumer changes a clock's row behind its entity's
 * back (the lead unit's type is set on the clocks; the only bulk statement, closing a clock's
 * timers, changes timers no event changes again as entities).
 */
@ApplicationScoped
public class InboundEventsConsumer {

    private final BatchInbox inbox;
    private final SlaEventRouter router;
    private final BatchInbox.Handler handler;

    public InboundEventsConsumer(BatchInbox inbox, SlaEventRouter router) {
        this.inbox = inbox;
        this.router = router;
        this.handler = new BatchInbox.Handler() {
            @Override
            public boolean wants(CloudEvent event) {
                return router.relevant(event);
            }

            @Override
            public void prepare(List<CloudEvent> events) {
                router.prepare(events);
            }

            @Override
            public void apply(CloudEvent event) {
                router.handle(event);
            }

            @Override
            public boolean sharesContext() {
                return true;
            }

            @Override
            public boolean batchesOutbox() {
                return true;
            }
        };
    }

    @Incoming("ticket-events")
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public Uni<Void> ticketEvent(KafkaRecordBatch<String, String> batch) {
        return inbox.consume(batch, SlaEventRouter::handles, handler);
    }

    @Incoming("dispatch-events")
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public Uni<Void> dispatchEvent(KafkaRecordBatch<String, String> batch) {
        return inbox.consume(batch, SlaEventRouter::handles, handler);
    }
}

package org.hotline.sla.messaging;

import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hotline.backbone.inbox.BatchInbox;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The SLA service's two inputs, handled alike: intake's ticket events arm, stop and restart clocks;
 * dispatch's events end stages, name the lead unit's type and move deadlines. A batch of records
 * at a time (BatchInbox): types that cannot change clocks are skipped unread, the others are
 * deduplicated and applied in one transaction by the router, the batch handler, which decides what
 * each does (a batch's events share its persistence context and write their outbox rows in one
 * statement: {@link SlaEventRouter#applyBatch}).
 */
@ApplicationScoped
public class InboundEventsConsumer {

    private final BatchInbox inbox;
    private final SlaEventRouter router;

    public InboundEventsConsumer(BatchInbox inbox, SlaEventRouter router) {
        this.inbox = inbox;
        this.router = router;
    }

    @Incoming("ticket-events")
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public Uni<Void> ticketEvent(KafkaRecordBatch<String, String> batch) {
        return inbox.consume(batch, SlaEventRouter::handles, router);
    }

    @Incoming("dispatch-events")
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public Uni<Void> dispatchEvent(KafkaRecordBatch<String, String> batch) {
        return inbox.consume(batch, SlaEventRouter::handles, router);
    }
}

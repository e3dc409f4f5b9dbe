package org.hotline.notification.messaging;

import org.eclipse.microprofile.reactive.messaging.Acknowledgment;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hotline.backbone.inbox.BatchInbox;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The four inputs: dispatch's decisions, SLA clocks, intake's repeat reports and dispatch's unit
 * roster, a batch of records at a time (BatchInbox). Types the router neither projects nor has a
 * rule for are skipped unread by their ce_type header; the rest of a batch is deduplicated by event
 * id and applied in record order (per ticket in order) in one transaction, all at once (the router
 * is the batch handler: the projections read once, the rows written at once), so a redelivered
 * event writes no second notification and a batch costs a few statements and one commit. A record
 * the router refuses is dead-lettered alone, with the reason, and the rest of its batch commits.
 */
@ApplicationScoped
public class InboundEventsConsumer {

    private final BatchInbox inbox;
    private final EventRouter router;

    public InboundEventsConsumer(BatchInbox inbox, EventRouter router) {
        this.inbox = inbox;
        this.router = router;
    }

    @Incoming("dispatch-events")
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public Uni<Void> dispatchEvents(KafkaRecordBatch<String, String> batch) {
        return inbox.consume(batch, router::handles, router);
    }

    @Incoming("sla-events")
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public Uni<Void> slaEvents(KafkaRecordBatch<String, String> batch) {
        return inbox.consume(batch, router::handles, router);
    }

    @Incoming("ticket-events")
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public Uni<Void> ticketEvents(KafkaRecordBatch<String, String> batch) {
        return inbox.consume(batch, router::handles, router);
    }

    @Incoming("unit-events")
    @Acknowledgment(Acknowledgment.Strategy.MANUAL)
    public Uni<Void> unitEvents(KafkaRecordBatch<String, String> batch) {
        return inbox.consume(batch, router::handles, router);
    }
}

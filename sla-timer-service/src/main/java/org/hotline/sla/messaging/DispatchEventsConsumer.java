package org.hotline.sla.messaging;

import java.time.Instant;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hotline.backbone.event.EventCodec;
import org.hotline.backbone.event.PoisonEventException;
import org.hotline.backbone.inbox.EventInbox;
import org.hotline.sla.service.ClockService;

import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;

/** Dispatch's events stop stage clocks, name the lead unit's type, and move deadlines (extensions). */
@ApplicationScoped
public class DispatchEventsConsumer {

    private final EventInbox inbox;
    private final EventCodec codec;
    private final ClockService clocks;

    public DispatchEventsConsumer(EventInbox inbox, EventCodec codec, ClockService clocks) {
        this.inbox = inbox;
        this.codec = codec;
        this.clocks = clocks;
    }

    @Incoming("dispatch-events")
    @Blocking
    public void consume(String value) {
        inbox.process(value, event -> {
            DispatchEventData d = codec.data(event, DispatchEventData.class);
            if (d.ticketId() == null) {
                throw new PoisonEventException(event.type() + " without data.ticketId");
            }
            if ("assignment.created".equals(event.type()) && "LEAD".equals(d.role()) && d.unitType() != null) {
                clocks.onLeadAssigned(d.ticketId(), d.unitType());
            }
            if ("extension.approved".equals(event.type())) {
                if (d.stage() == null || d.newDeadline() == null) {
                    throw new PoisonEventException("extension.approved needs data.stage and data.newDeadline");
                }
                clocks.onExtensionApproved(d.ticketId(), d.stage(), d.newDeadline(), d.approvedBy(), d.reason(),
                        event.id());
            }
            if (d.stageEnded() != null) {
                clocks.onStageEnded(d.ticketId(), d.stageEnded(),
                        d.occurredAt() != null ? d.occurredAt() : Instant.parse(event.time()));
            }
        });
    }
}

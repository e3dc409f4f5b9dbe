package org.hotline.backbone.outbox;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import org.hotline.backbone.config.BackboneConfig;
import org.hotline.backbone.event.CloudEvent;
import org.hotline.backbone.event.EventCodec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

/**
 * The only way a service emits an event: the event is a row written in the caller's transaction,
 * so it commits or rolls back with the state change that caused it (no dual write). The relay
 * publishes it afterwards.
 */
@ApplicationScoped
public class Outbox {

    private final EventCodec codec;
    private final Clock clock;
    private final String source;
    private final Event<OutboxWritten> written;

    public Outbox(EventCodec codec, Clock clock, BackboneConfig config, Event<OutboxWritten> written) {
        this.codec = codec;
        this.clock = clock;
        this.source = "/hotline/" + config.serviceName();
        this.written = written;
    }

    /**
     * Records an event about {@code subject} (a ticket id; also the Kafka key, so one ticket's
     * events stay in order). Must run inside the transaction of the state change.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public CloudEvent publish(String topic, String type, String subject, Object data) {
        Instant now = clock.instant();
        UUID id = UUID.randomUUID();
        CloudEvent event = new CloudEvent(CloudEvent.SPEC_VERSION, id.toString(), source, type, subject,
                now.toString(), "application/json", codec.toTree(data));
        OutboxEvent row = new OutboxEvent();
        row.eventId = id;
        row.topic = topic;
        row.key = subject;
        row.type = type;
        row.payload = codec.encode(event);
        row.createdAt = now;
        row.persist();
        written.fire(new OutboxWritten(topic));
        return event;
    }
}

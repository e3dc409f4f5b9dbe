package org.hotline.backbone.inbox;

import org.hotline.backbone.config.BackboneConfig;
import org.hotline.backbone.event.CloudEvent;
import org.hotline.backbone.event.EventCodec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Idempotent consumption: an event id is recorded in the same transaction as the effect it
 * caused, so a redelivered event (broker redelivery, relay replay, a second replica) changes
 * nothing. Two replicas racing on one id serialize on the primary key; the loser sees a duplicate.
 */
@ApplicationScoped
public class ProcessedEvents {

    private final EntityManager em;
    private final EventCodec codec;
    private final String consumer;

    public ProcessedEvents(EntityManager em, EventCodec codec, BackboneConfig config) {
        this.em = em;
        this.codec = codec;
        this.consumer = config.serviceName();
    }

    /**
     * Decodes a record value and claims its event id for this service. Returns null for a
     * duplicate; throws {@link org.hotline.backbone.event.PoisonEventException} for a malformed one.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public CloudEvent firstDelivery(String recordValue) {
        CloudEvent event = codec.decode(recordValue);
        int inserted = em.createNativeQuery("insert into processed_event (consumer, event_id, event_type, processed_at)"
                + " values (?1, ?2, ?3, now()) on conflict do nothing")
                .setParameter(1, consumer).setParameter(2, event.id()).setParameter(3, event.type())
                .executeUpdate();
        return inserted == 1 ? event : null;
    }
}

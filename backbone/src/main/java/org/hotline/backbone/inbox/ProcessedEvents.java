package org.hotline.backbone.inbox;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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

    /**
     * Claims the ids of a batch of decoded events in one statement; returns the ids that were new
     * (the others were processed before, by this or another replica). The ids must be distinct.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    @SuppressWarnings("unchecked")
    public Set<String> firstDeliveries(Collection<CloudEvent> events) {
        if (events.isEmpty()) {
            return Set.of();
        }
        List<String> claimed = em.createNativeQuery("insert into processed_event (consumer, event_id, event_type,"
                + " processed_at) select ?1, u.id, u.type, now() from unnest(cast(?2 as text[]), cast(?3 as text[]))"
                + " as u(id, type) on conflict do nothing returning event_id")
                .setParameter(1, consumer)
                .setParameter(2, events.stream().map(CloudEvent::id).toArray(String[]::new))
                .setParameter(3, events.stream().map(CloudEvent::type).toArray(String[]::new))
                .getResultList();
        return new HashSet<>(claimed);
    }

    /**
     * The ids among these that this service (any replica) has processed, in a transaction of its
     * own: a live feed holds an event back until the consumer has applied it (BroadcastFeed).
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    @SuppressWarnings("unchecked")
    public Set<String> processedAmong(Collection<String> ids) {
        List<String> done = em.createNativeQuery("select event_id from processed_event where consumer = ?1"
                + " and event_id = any(cast(?2 as text[]))")
                .setParameter(1, consumer).setParameter(2, ids.toArray(String[]::new)).getResultList();
        return new HashSet<>(done);
    }
}

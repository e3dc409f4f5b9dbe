package org.hotline.notification.repository;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;

/** Backbone's inbox (processed_event) as notification reads it: which events its consumer has applied. */
@ApplicationScoped
public class InboxRepository {

    /** The event ids among these that the consumer (any replica) has processed. */
    @SuppressWarnings("unchecked")
    public Set<String> processedAmong(String consumer, Collection<String> ids) {
        List<String> done = Panache.getEntityManager().createNativeQuery(
                "select event_id from processed_event where consumer = ?1 and event_id = any(cast(?2 as text[]))")
                .setParameter(1, consumer).setParameter(2, ids.toArray(String[]::new)).getResultList();
        return new HashSet<>(done);
    }
}

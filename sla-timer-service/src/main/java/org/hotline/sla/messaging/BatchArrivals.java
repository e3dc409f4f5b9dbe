package org.hotline.sla.messaging;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.hotline.backbone.event.CloudEvent;

import jakarta.transaction.TransactionScoped;

/**
 * What a batch's preparation ({@link SlaEventRouter#applyBatch}) did, for its events to use: the
 * tickets whose arrival locks it holds, and the early events it unparked for the batch's
 * ticket.received, each until that ticket's clocks are armed. Transaction-scoped, so it lives
 * exactly as long as the locks and the deletion it describes: a batch that rolls back takes it
 * along, and the one-by-one replay ({@link SlaEventRouter#apply}, a transaction per event) starts
 * empty, so each event locks and unparks for itself.
 */
@TransactionScoped
public class BatchArrivals {

    private final Set<UUID> locked = new HashSet<>();
    private final Map<UUID, List<CloudEvent>> unparked = new HashMap<>();

    /** The batch holds these tickets' arrival locks; {@code received}'s parked events are taken out. */
    void prepared(Set<UUID> lockedTickets, Map<UUID, List<CloudEvent>> receivedTickets) {
        locked.addAll(lockedTickets);
        receivedTickets.forEach((t, events) -> unparked.put(t, new ArrayList<>(events)));
    }

    /** Whether this transaction already holds the ticket's arrival lock (taken by the batch). */
    boolean locked(UUID ticket) {
        return locked.contains(ticket);
    }

    /**
     * An event about a ticket whose ticket.received comes later in this batch: held here, after the
     * ones the batch unparked (where parking would have put it: the batch already emptied the
     * ticket's parking). False: the batch did not unpark this ticket, park the event.
     */
    boolean hold(UUID ticket, CloudEvent event) {
        List<CloudEvent> held = unparked.get(ticket);
        if (held == null) {
            return false;
        }
        held.add(event);
        return true;
    }

    /** The ticket's early events, in arrival order, once; null: the batch did not unpark them. */
    List<CloudEvent> take(UUID ticket) {
        return unparked.remove(ticket);
    }
}

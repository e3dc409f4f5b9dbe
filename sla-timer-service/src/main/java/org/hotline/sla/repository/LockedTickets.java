package org.hotline.sla.repository;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.transaction.TransactionScoped;

/**
 * The tickets whose unfired timers and clocks this transaction locked up front, a batch's in one go
 * ({@link StageClockRepository#lockTickets}), and whether each has clocks. Transaction-scoped, like
 * the row locks it describes: the one-by-one replay of a failed batch (a transaction per event)
 * starts empty, so each event locks for itself. Whether a held ticket has clocks cannot change
 * behind this transaction's back: clocks are only ever written under the ticket's arrival lock,
 * which the batch took first.
 */
@TransactionScoped
public class LockedTickets {

    private final Map<UUID, Boolean> armed = new HashMap<>();

    void locked(Collection<UUID> tickets, Set<UUID> withClocks) {
        tickets.forEach(t -> armed.put(t, withClocks.contains(t)));
    }

    /** Whether a held ticket has clocks; null: this transaction has not locked the ticket up front. */
    Boolean armed(UUID ticket) {
        return armed.get(ticket);
    }

    /** The transaction armed a held ticket's clocks (a ticket.received of the batch). */
    void armedNow(UUID ticket) {
        armed.replace(ticket, Boolean.TRUE);
    }
}

package org.hotline.sla.repository;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.hotline.sla.model.StageClock;

import jakarta.transaction.TransactionScoped;

/**
 * The tickets whose unfired timers and clocks this transaction locked up front, a batch's in one go
 * ({@link StageClockRepository#lockTickets}), with their clocks as loaded then, plus those the
 * transaction has armed since (none: not armed). Transaction-scoped, like the row locks it
 * describes: the one-by-one replay of a failed batch (a transaction per event) starts empty, so each
 * event locks for itself. The clocks cannot change behind this transaction's back: their rows are
 * locked, and new clocks are only ever written under the ticket's arrival lock, which the batch
 * took first. The batch's events share its persistence context (the consumer's handler), so the
 * clocks stay the managed entities each event changes.
 */
@TransactionScoped
public class LockedTickets {

    private final Map<UUID, List<StageClock>> clocks = new HashMap<>();

    void locked(Collection<UUID> tickets, List<StageClock> loaded) {
        tickets.forEach(t -> clocks.put(t, new ArrayList<>()));
        loaded.forEach(c -> clocks.get(c.ticketId).add(c));
    }

    /** Whether a held ticket has clocks; null: this transaction has not locked the ticket up front. */
    Boolean armed(UUID ticket) {
        List<StageClock> held = clocks.get(ticket);
        return held == null ? null : !held.isEmpty();
    }

    /** A held ticket's clocks, in no particular order; null: not locked up front. */
    List<StageClock> clocks(UUID ticket) {
        return clocks.get(ticket);
    }

    /** Replaces a held ticket's clocks (read again). */
    void reloaded(UUID ticket, List<StageClock> read) {
        clocks.replace(ticket, new ArrayList<>(read));
    }

    /** The transaction has just persisted a clock of a held ticket (armed or a new round). */
    void added(StageClock c) {
        List<StageClock> held = clocks.get(c.ticketId);
        if (held != null) {
            held.add(c);
        }
    }
}

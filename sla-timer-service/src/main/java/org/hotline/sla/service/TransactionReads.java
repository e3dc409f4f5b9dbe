package org.hotline.sla.service;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.transaction.TransactionScoped;

/**
 * Reference data (policy rules, current policy versions, the calendar) read once per transaction
 * rather than once per event: a batch of events is one transaction, and its ticket.received events
 * would otherwise each ask for the same rows. Nothing outlives the transaction, so there is no cache
 * to go stale across replicas; an edit committed while a batch runs is seen by the next batch, as
 * if it had committed just after this one. Also what a transaction does only once however many of
 * its events ask ({@link #once}: waking the engine after commit).
 */
@TransactionScoped
public class TransactionReads {

    private final Map<Object, Object> read = new HashMap<>();

    /** The value read under {@code key} earlier in this transaction, or {@code reader}'s now. */
    @SuppressWarnings("unchecked")
    public <T> T get(Object key, Supplier<T> reader) {
        Object v = read.get(key);
        if (v == null) {
            v = reader.get();
            read.put(key, v);
        }
        return (T) v;
    }

    /** Runs {@code action} the first time this transaction asks for {@code key}, never again. */
    public void once(Object key, Runnable action) {
        if (read.putIfAbsent(key, Boolean.TRUE) == null) {
            action.run();
        }
    }
}

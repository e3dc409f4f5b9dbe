package org.hotline.notification.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.hotline.notification.model.TicketAssignment;

import jakarta.transaction.TransactionScoped;

/**
 * The projections as this transaction sees them (ProjectionService): the orders of the tickets it
 * read, whole, and the units it read, as of its reads plus its own changes, and the changes still to
 * write. Transaction-scoped, so nothing outlives the transaction: no cache to go stale across
 * replicas, and a batch that rolls back takes its changes along (its one-by-one replay starts empty).
 */
@TransactionScoped
public class TransactionProjections {

    private static final Comparator<TicketAssignment> BY_CREATION = Comparator.comparing(t -> t.createdAt);

    /** Each ticket read, with all its orders oldest first (an order created here after those of its time). */
    private final Map<UUID, List<TicketAssignment>> tickets = new HashMap<>();
    private final Map<UUID, TicketAssignment> orders = new HashMap<>();
    /** Order ids asked for: known here, or not in the database when asked. */
    private final Set<UUID> orderIdsRead = new HashSet<>();
    /** The units read; null: not in the projection. */
    private final Map<String, ProjectionService.Unit> units = new HashMap<>();
    /** Orders created here, in creation order, to insert. */
    private final Map<UUID, TicketAssignment> created = new LinkedHashMap<>();
    /** Stored orders whose {@code active} this transaction changed, with their latest state. */
    private final Map<UUID, TicketAssignment> changed = new LinkedHashMap<>();

    boolean ticketRead(UUID ticket) {
        return tickets.containsKey(ticket);
    }

    boolean orderIdRead(UUID assignmentId) {
        return orderIdsRead.contains(assignmentId) || orders.containsKey(assignmentId);
    }

    boolean unitRead(String unitId) {
        return units.containsKey(unitId);
    }

    /** What a read of these tickets and order ids returned (whole tickets); an order already here keeps its state. */
    void read(Set<UUID> ticketIds, Set<UUID> orderIds, List<TicketAssignment> stored) {
        ticketIds.forEach(t -> tickets.putIfAbsent(t, new ArrayList<>()));
        orderIdsRead.addAll(orderIds);
        Set<UUID> touched = new HashSet<>(ticketIds);
        for (TicketAssignment t : stored) {
            if (orders.putIfAbsent(t.assignmentId, t) == null) {
                tickets.computeIfAbsent(t.ticketId, k -> new ArrayList<>()).add(t);
                touched.add(t.ticketId);
            }
        }
        touched.forEach(t -> tickets.get(t).sort(BY_CREATION));
    }

    void readUnits(Set<String> unitIds, Map<String, ProjectionService.Unit> found) {
        unitIds.forEach(id -> units.put(id, found.get(id)));
    }

    void forgetUnit(String unitId) {
        units.remove(unitId);
    }

    /** The ticket's orders, oldest first; the ticket must have been read. */
    List<TicketAssignment> orders(UUID ticket) {
        return tickets.getOrDefault(ticket, List.of());
    }

    TicketAssignment order(UUID assignmentId) {
        return orders.get(assignmentId);
    }

    ProjectionService.Unit unit(String unitId) {
        return units.get(unitId);
    }

    /** A new order of a ticket that was read; written by {@link #created}'s caller. */
    void create(TicketAssignment t) {
        List<TicketAssignment> of = tickets.get(t.ticketId);
        int at = of.size();
        while (at > 0 && of.get(at - 1).createdAt.isAfter(t.createdAt)) {
            at--;
        }
        of.add(at, t);
        orders.put(t.assignmentId, t);
        created.put(t.assignmentId, t);
    }

    /** An order's {@code active} changed (in place); a stored one is written by {@link #changed}'s caller. */
    void activeChanged(TicketAssignment t) {
        if (!created.containsKey(t.assignmentId)) {
            changed.put(t.assignmentId, t);
        }
    }

    /** The orders created since the last call, to insert (with their current state); then forgotten. */
    List<TicketAssignment> takeCreated() {
        List<TicketAssignment> out = List.copyOf(created.values());
        created.clear();
        return out;
    }

    /** The stored orders changed since the last call: id to current {@code active}; then forgotten. */
    Map<UUID, Boolean> takeChanged() {
        Map<UUID, Boolean> out = new LinkedHashMap<>();
        changed.forEach((id, t) -> out.put(id, t.active));
        changed.clear();
        return out;
    }
}

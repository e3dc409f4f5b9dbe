package org.hotline.notification.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import org.hotline.notification.messaging.AssignmentCreated;
import org.hotline.notification.messaging.UnitUpdated;
import org.hotline.notification.model.TicketAssignment;
import org.hotline.notification.model.UnitProjection;
import org.hotline.notification.repository.TicketAssignmentRepository;
import org.hotline.notification.repository.UnitProjectionRepository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * The two projections notification keeps: units (members; shifts are kept but never read) and the
 * units handling each ticket, with the members dispatch named to tell of each order.
 *
 * <p>A transaction reads them once for all its events ({@link #read}: the orders of their tickets,
 * each ticket whole, and the units named, one statement each) and answers every later question
 * from what it read plus its own changes ({@link TransactionProjections}); its new and changed
 * orders are written together at the end ({@link #write}). Read per question, the orders and units
 * were most of the consumer's statements (issue #18: five to twelve reads per notified event).
 */
@ApplicationScoped
public class ProjectionService {

    /** A unit as the messages need it: its name, its street and its members (with their staff phones). */
    public record Unit(String name, String street, List<UnitUpdated.Member> members) {
    }

    private static final TypeReference<List<UnitUpdated.Member>> MEMBERS = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> IDS = new TypeReference<>() {
    };

    private final UnitProjectionRepository units;
    private final TicketAssignmentRepository assignments;
    private final TransactionProjections seen;
    private final ObjectMapper json;
    private final Clock clock;

    public ProjectionService(UnitProjectionRepository units, TicketAssignmentRepository assignments,
            TransactionProjections seen, ObjectMapper json, Clock clock) {
        this.units = units;
        this.assignments = assignments;
        this.seen = seen;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Reads what a transaction's events will ask: the orders of these tickets and of these orders'
     * tickets (one statement), then the units those orders and the events name (one more). What is
     * asked later and was not read here is read when asked.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void read(Collection<UUID> tickets, Collection<UUID> assignmentIds, Collection<String> unitIds) {
        readOrders(tickets, assignmentIds);
        Set<String> named = new HashSet<>(unitIds);
        tickets.forEach(t -> seen.orders(t).forEach(o -> named.add(o.unitId)));
        assignmentIds.stream().map(seen::order).filter(Objects::nonNull).forEach(o -> named.add(o.unitId));
        readUnits(named);
    }

    /** Writes the orders this transaction created and changed, one statement each. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void write() {
        assignments.insert(seen.takeCreated());
        assignments.setActive(seen.takeChanged());
    }

    /** unit.updated carries the full state; an event older than the stored state is ignored. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void onUnitUpdated(UnitUpdated u, Instant eventTime) {
        UnitProjection p = new UnitProjection();
        p.unitId = u.unitId();
        p.name = u.name() == null ? u.unitId() : u.name();
        p.type = u.type();
        p.street = u.street();
        p.status = u.status();
        p.members = write(u.members() == null ? List.of() : u.members());
        p.shifts = write(u.shifts() == null ? List.of() : u.shifts());
        p.eventTime = eventTime;
        p.updatedAt = clock.instant();
        units.upsert(p);
        seen.forgetUnit(u.unitId()); // whichever state won, the database has it
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void onAssignmentCreated(AssignmentCreated a, Instant at) {
        if (a.assignmentId() == null) {
            return;
        }
        readOrders(List.of(a.ticketId()), List.of(a.assignmentId()));
        if (seen.order(a.assignmentId()) != null) {
            return;
        }
        TicketAssignment t = new TicketAssignment();
        t.assignmentId = a.assignmentId();
        t.ticketId = a.ticketId();
        t.unitId = a.unitId();
        t.role = a.role() == null ? "LEAD" : a.role();
        t.street = a.street();
        t.category = a.category();
        t.address = a.address();
        t.notifyMemberIds = a.notifyMemberIds() == null ? null : write(a.notifyMemberIds());
        t.active = true;
        t.createdAt = at;
        seen.create(t);
    }

    /**
     * Deactivates (assignment.withdrawn, assignment.ack-lapsed, assignment.returned) or re-activates
     * (return.rejected) a known assignment; an unknown one (its assignment.created not seen) is ignored.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void setAssignmentActive(UUID assignmentId, boolean active) {
        if (assignmentId == null) {
            return;
        }
        readOrders(List.of(), List.of(assignmentId));
        TicketAssignment t = seen.order(assignmentId);
        if (t != null && t.active != active) {
            t.active = active;
            seen.activeChanged(t);
        }
    }

    /** The ticket's current lead unit: the latest active LEAD assignment. */
    public String leadUnit(UUID ticketId) {
        List<TicketAssignment> orders = orders(ticketId);
        for (int i = orders.size() - 1; i >= 0; i--) {
            TicketAssignment t = orders.get(i);
            if (t.active && "LEAD".equals(t.role)) {
                return t.unitId;
            }
        }
        return null;
    }

    /** Every unit actively assigned to the ticket, lead first. */
    public List<String> assignedUnits(UUID ticketId) {
        List<String> units = new ArrayList<>();
        String lead = leadUnit(ticketId);
        if (lead != null) {
            units.add(lead);
        }
        orders(ticketId).stream().filter(t -> t.active).map(t -> t.unitId).filter(u -> !units.contains(u))
                .forEach(units::add);
        return units;
    }

    /** The ticket's address, from its latest assignment (SLA and repeat events do not carry it). */
    public String address(UUID ticketId) {
        List<TicketAssignment> orders = orders(ticketId);
        return orders.isEmpty() ? null : orders.get(orders.size() - 1).address;
    }

    /** The unit as the projection knows it; null when it does not (no unit.updated yet). */
    public Unit unit(String unitId) {
        if (unitId == null) {
            return null;
        }
        readUnits(List.of(unitId));
        return seen.unit(unitId);
    }

    /**
     * The members of the unit to tell of an event of the ticket: those dispatch named on the unit's
     * latest order of this ticket (assignment.created notifyMemberIds: its duty roster decides, no
     * rule here). An order whose event predates that field, or no order of the unit known: every
     * member of the unit (better an extra message than an order no one hears of). A named member
     * the unit projection does not know (yet) keeps his id, without name or phone.
     */
    public List<UnitUpdated.Member> membersToTell(String unitId, UUID ticketId) {
        Unit unit = unit(unitId);
        List<UnitUpdated.Member> members = unit == null ? List.of() : unit.members();
        TicketAssignment order = ticketId == null ? null : latestOfUnit(ticketId, unitId);
        if (order == null || order.notifyMemberIds == null) {
            return members.stream().filter(m -> m.memberId() != null).toList();
        }
        List<String> named = read(order.notifyMemberIds, IDS);
        List<UnitUpdated.Member> out = new ArrayList<>(named.size());
        for (String id : named) {
            out.add(members.stream().filter(m -> id.equals(m.memberId())).findFirst()
                    .orElse(new UnitUpdated.Member(id, null, null, null)));
        }
        return out;
    }

    private TicketAssignment latestOfUnit(UUID ticketId, String unitId) {
        List<TicketAssignment> orders = orders(ticketId);
        for (int i = orders.size() - 1; i >= 0; i--) {
            if (orders.get(i).unitId.equals(unitId)) {
                return orders.get(i);
            }
        }
        return null;
    }

    private List<TicketAssignment> orders(UUID ticketId) {
        readOrders(List.of(ticketId), List.of());
        return seen.orders(ticketId);
    }

    private void readOrders(Collection<UUID> tickets, Collection<UUID> assignmentIds) {
        Set<UUID> t = new HashSet<>();
        tickets.stream().filter(id -> id != null && !seen.ticketRead(id)).forEach(t::add);
        Set<UUID> a = new HashSet<>();
        assignmentIds.stream().filter(id -> id != null && !seen.orderIdRead(id)).forEach(a::add);
        if (!t.isEmpty() || !a.isEmpty()) {
            seen.read(t, a, assignments.ofTickets(t, a));
        }
    }

    private void readUnits(Collection<String> unitIds) {
        Set<String> todo = new HashSet<>();
        unitIds.stream().filter(id -> id != null && !seen.unitRead(id)).forEach(todo::add);
        if (todo.isEmpty()) {
            return;
        }
        Map<String, Unit> found = new HashMap<>();
        for (UnitProjection p : units.ofIds(todo)) {
            found.put(p.unitId, new Unit(p.name, p.street, read(p.members, MEMBERS)));
        }
        seen.readUnits(todo, found);
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String s, TypeReference<T> type) {
        try {
            return json.readValue(s, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

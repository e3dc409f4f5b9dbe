package org.hotline.notification.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 */
@ApplicationScoped
public class ProjectionService {

    private final UnitProjectionRepository units;
    private final TicketAssignmentRepository assignments;
    private final ObjectMapper json;
    private final Clock clock;

    public ProjectionService(UnitProjectionRepository units, TicketAssignmentRepository assignments, ObjectMapper json,
            Clock clock) {
        this.units = units;
        this.assignments = assignments;
        this.json = json;
        this.clock = clock;
    }

    /** unit.updated carries the full state; an event older than the stored state is ignored. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void onUnitUpdated(UnitUpdated u, Instant eventTime) {
        UnitProjection p = units.findById(u.unitId());
        if (p != null && p.eventTime.isAfter(eventTime)) {
            return;
        }
        if (p == null) {
            p = new UnitProjection();
            p.unitId = u.unitId();
        }
        p.name = u.name() == null ? u.unitId() : u.name();
        p.type = u.type();
        p.street = u.street();
        p.status = u.status();
        p.members = write(u.members() == null ? List.of() : u.members());
        p.shifts = write(u.shifts() == null ? List.of() : u.shifts());
        p.eventTime = eventTime;
        p.updatedAt = clock.instant();
        units.persist(p);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void onAssignmentCreated(AssignmentCreated a, Instant at) {
        if (a.assignmentId() == null || assignments.findById(a.assignmentId()) != null) {
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
        assignments.persist(t);
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
        TicketAssignment t = assignments.findById(assignmentId);
        if (t != null) {
            t.active = active;
        }
    }

    /** The ticket's current lead unit: the latest active LEAD assignment. */
    public String leadUnit(UUID ticketId) {
        return assignments.activeLead(ticketId).map(t -> t.unitId).orElse(null);
    }

    /** Every unit actively assigned to the ticket, lead first. */
    public List<String> assignedUnits(UUID ticketId) {
        List<TicketAssignment> all = assignments.active(ticketId);
        List<String> units = new ArrayList<>();
        String lead = leadUnit(ticketId);
        if (lead != null) {
            units.add(lead);
        }
        all.stream().map(t -> t.unitId).filter(u -> !units.contains(u)).forEach(units::add);
        return units;
    }

    /** The ticket's address, from its latest assignment (SLA and repeat events do not carry it). */
    public String address(UUID ticketId) {
        return assignments.latest(ticketId).map(t -> t.address).orElse(null);
    }

    public UnitProjection unit(String unitId) {
        return unitId == null ? null : units.findById(unitId);
    }

    /**
     * The members of the unit to tell of an event of the ticket: those dispatch named on the unit's
     * latest order of this ticket (assignment.created notifyMemberIds: its duty roster decides, no
     * rule here). An order whose event predates that field, or no order of the unit known: every
     * member of the unit (better an extra message than an order no one hears of). A named member
     * the unit projection does not know (yet) keeps his id, without name or phone.
     */
    public List<UnitUpdated.Member> membersToTell(String unitId, UUID ticketId) {
        UnitProjection p = unit(unitId);
        List<UnitUpdated.Member> members = p == null ? List.of()
                : read(p.members, new TypeReference<List<UnitUpdated.Member>>() {
                });
        TicketAssignment order = ticketId == null ? null : assignments.latestOfUnit(ticketId, unitId).orElse(null);
        if (order == null || order.notifyMemberIds == null) {
            return members.stream().filter(m -> m.memberId() != null).toList();
        }
        List<String> named = read(order.notifyMemberIds, new TypeReference<List<String>>() {
        });
        List<UnitUpdated.Member> out = new ArrayList<>(named.size());
        for (String id : named) {
            out.add(members.stream().filter(m -> id.equals(m.memberId())).findFirst()
                    .orElse(new UnitUpdated.Member(id, null, null, null)));
        }
        return out;
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

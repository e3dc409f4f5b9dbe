package org.hotline.notification.service;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.hotline.notification.config.NotificationConfig;
import org.hotline.notification.messaging.AssignmentCreated;
import org.hotline.notification.messaging.UnitUpdated;
import org.hotline.notification.model.TicketAssignment;
import org.hotline.notification.model.UnitProjection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** The two projections notification keeps: units (members, shifts) and the units handling each ticket. */
@ApplicationScoped
public class ProjectionService {

    private final ObjectMapper json;
    private final Clock clock;
    private final ZoneId zone;

    public ProjectionService(ObjectMapper json, Clock clock, NotificationConfig config) {
        this.json = json;
        this.clock = clock;
        this.zone = ZoneId.of(config.zone());
    }

    /** unit.updated carries the full state; an event older than the stored state is ignored. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void onUnitUpdated(UnitUpdated u, Instant eventTime) {
        UnitProjection p = UnitProjection.findById(u.unitId());
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
        p.persist();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void onAssignmentCreated(AssignmentCreated a, Instant at) {
        if (a.assignmentId() == null || TicketAssignment.findById(a.assignmentId()) != null) {
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
        t.active = true;
        t.createdAt = at;
        t.persist();
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
        TicketAssignment t = TicketAssignment.findById(assignmentId);
        if (t != null) {
            t.active = active;
        }
    }

    /** The ticket's current lead unit: the latest active LEAD assignment. */
    public String leadUnit(UUID ticketId) {
        List<TicketAssignment> leads = TicketAssignment
                .list("ticketId = ?1 and active = true and role = 'LEAD' order by createdAt desc", ticketId);
        return leads.isEmpty() ? null : leads.get(0).unitId;
    }

    /** Every unit actively assigned to the ticket, lead first. */
    public List<String> assignedUnits(UUID ticketId) {
        List<TicketAssignment> all = TicketAssignment.list("ticketId = ?1 and active = true order by createdAt", ticketId);
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
        List<TicketAssignment> all = TicketAssignment.list("ticketId = ?1 order by createdAt desc", ticketId);
        return all.isEmpty() ? null : all.get(0).address;
    }

    public UnitProjection unit(String unitId) {
        return unitId == null ? null : UnitProjection.findById(unitId);
    }

    /** Members of the unit on duty at {@code at} (never one without a shift covering that moment). */
    public List<UnitUpdated.Member> onDutyMembers(String unitId, Instant at) {
        UnitProjection p = unit(unitId);
        if (p == null) {
            return List.of();
        }
        List<UnitUpdated.Member> members = read(p.members, new TypeReference<List<UnitUpdated.Member>>() {
        });
        List<UnitUpdated.Shift> shifts = read(p.shifts, new TypeReference<List<UnitUpdated.Shift>>() {
        });
        return members.stream().filter(m -> m.memberId() != null && OnDuty.onDuty(m.memberId(), shifts, at, zone))
                .toList();
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

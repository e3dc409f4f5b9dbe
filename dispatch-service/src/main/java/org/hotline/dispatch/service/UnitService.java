package org.hotline.dispatch.service;

import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.hotline.backbone.outbox.Outbox;
import org.hotline.backbone.web.ProblemException;
import org.hotline.dispatch.config.DispatchConfig;
import org.hotline.dispatch.model.Unit;
import org.hotline.dispatch.model.UnitMember;
import org.hotline.dispatch.model.UnitShift;
import org.hotline.dispatch.model.UnitStatus;
import org.hotline.dispatch.model.UnitType;
import org.hotline.dispatch.repository.UnitRepository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Units, their members and duty rosters. Every change publishes {@code unit.updated} (the unit's
 * full current state, key = unit id) on unit-events in the same transaction, so projections
 * (notification-service's "who is on duty now") never miss one.
 */
@ApplicationScoped
public class UnitService {

    static final Set<String> DAYS = Set.of("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN");

    private final Outbox outbox;
    private final DispatchConfig config;
    private final java.time.ZoneId zone;
    private final UnitRepository units;

    public UnitService(Outbox outbox, DispatchConfig config, org.hotline.backbone.config.BackboneConfig backbone,
            UnitRepository units) {
        this.units = units;
        this.zone = backbone.timeZone();
        this.outbox = outbox;
        this.config = config;
    }

    /** A unit's editable fields. */
    public record UnitData(String name, UnitType type, String street, List<String> grids, List<String> categories,
            UnitStatus status, int capacity, Double latitude, Double longitude) {
    }

    public record Member(String memberId, String name, String phone, String role) {
    }

    public record Shift(String memberId, List<String> days, String start, String end) {
    }

    /** The unit.updated data and the API's unit view: the full current state. */
    public record UnitState(String unitId, String name, UnitType type, String street, List<String> grids,
            List<String> categories, UnitStatus status, int capacity, Double latitude, Double longitude,
            List<Member> members, List<Shift> shifts) {
    }

    @Transactional
    public UnitState create(String id, UnitData d) {
        units.idLock("unit:" + id); // two creates of one id: the second sees the first's row, 409 not a unique-key 500
        if (units.find(id) != null) {
            throw ProblemException.conflict("unit " + id + " exists");
        }
        Unit u = new Unit();
        u.id = id;
        apply(u, d);
        u.persist();
        return published(u);
    }

    @Transactional
    public UnitState update(String id, UnitData d) {
        Unit u = lock(id);
        apply(u, d);
        return published(u);
    }

    @Transactional
    public UnitState status(String id, UnitStatus status) {
        Unit u = lock(id);
        u.status = status;
        return published(u);
    }

    /** Replaces the unit's members; a removed member's shifts go with it. */
    @Transactional
    public UnitState members(String id, List<Member> members) {
        Unit u = lock(id);
        // two units taking the same new member id at once: serialize on the id (sorted, no deadlock)
        members.stream().map(Member::memberId).filter(java.util.Objects::nonNull).distinct().sorted()
                .forEach(m -> units.idLock("member:" + m));
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            if (!ids.add(m.memberId())) {
                throw ProblemException.badRequest("[" + i + "].memberId", "listed twice");
            }
            UnitMember existing = units.member(m.memberId());
            if (existing != null && !existing.unitId.equals(id)) {
                throw ProblemException.conflict("member " + m.memberId() + " belongs to unit " + existing.unitId);
            }
        }
        for (UnitMember gone : units.members(id)) {
            if (!ids.contains(gone.memberId)) {
                units.removeMember(gone);
            }
        }
        for (Member m : members) {
            UnitMember e = units.member(m.memberId());
            if (e == null) {
                e = new UnitMember();
                e.memberId = m.memberId();
                e.unitId = id;
                e.name = m.name();
                e.phone = m.phone();
                e.role = m.role();
                e.persist();
            } else {
                e.name = m.name();
                e.phone = m.phone();
                e.role = m.role();
            }
        }
        return published(u);
    }

    /** Replaces the unit's duty roster. */
    @Transactional
    public UnitState shifts(String id, List<Shift> shifts) {
        Unit u = lock(id);
        for (int i = 0; i < shifts.size(); i++) {
            Shift s = shifts.get(i);
            UnitMember m = units.member(s.memberId());
            if (m == null || !m.unitId.equals(id)) {
                throw ProblemException.badRequest("[" + i + "].memberId", "not a member of unit " + id);
            }
            if (s.days().isEmpty() || !DAYS.containsAll(s.days()) || new HashSet<>(s.days()).size() != s.days().size()) {
                throw ProblemException.badRequest("[" + i + "].days", "distinct days of MON..SUN, at least one");
            }
            time("[" + i + "].start", s.start());
            time("[" + i + "].end", s.end());
        }
        units.removeShifts(id);
        for (Shift s : shifts) {
            UnitShift e = new UnitShift();
            e.id = UUID.randomUUID();
            e.unitId = id;
            e.memberId = s.memberId();
            e.days = List.copyOf(s.days());
            e.start = s.start();
            e.end = s.end();
            e.persist();
        }
        return published(u);
    }

    private void time(String field, String v) {
        try {
            if (v == null || v.length() != 5) {
                throw new DateTimeParseException("HH:mm", String.valueOf(v), 0);
            }
            LocalTime.parse(v);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(field, "a local time HH:mm (" + zone.getId() + ")");
        }
    }

    public UnitState state(String id) {
        Unit u = units.find(id);
        if (u == null) {
            throw ProblemException.notFound("unit", id);
        }
        return state(u);
    }

    public java.util.Optional<UnitState> find(String id) {
        Unit u = units.find(id);
        return u == null ? java.util.Optional.empty() : java.util.Optional.of(state(u));
    }

    /** The unit's street (404 if there is no such unit): what a street-scoped change is checked against. */
    public String street(String id) {
        Unit u = units.find(id);
        if (u == null) {
            throw ProblemException.notFound("unit", id);
        }
        return u.street;
    }

    /** Every unit of the street, or of every street when {@code street} is null. */
    public List<UnitState> list(String street) {
        return units.ofStreet(street).stream().map(this::state).toList();
    }

    UnitState state(Unit u) {
        List<Member> members = units.members(u.id).stream()
                .map(m -> new Member(m.memberId, m.name, m.phone, m.role)).toList();
        List<Shift> shifts = units.shifts(u.id).stream()
                .map(s -> new Shift(s.memberId, s.days, s.start, s.end)).toList();
        return new UnitState(u.id, u.name, u.type, u.street, u.grids, u.categories, u.status, u.capacity, u.latitude,
                u.longitude, members, shifts);
    }

    /** Publishes the unit's full state (also for every demo unit at load). */
    @Transactional(Transactional.TxType.MANDATORY)
    public UnitState published(Unit u) {
        UnitState s = state(u);
        outbox.publish(config.topics().unitEvents(), "unit.updated", u.id, s);
        return s;
    }

    private Unit lock(String id) {
        Unit u = units.lock(id);
        if (u == null) {
            throw ProblemException.notFound("unit", id);
        }
        return u;
    }

    private static void apply(Unit u, UnitData d) {
        u.name = d.name();
        u.type = d.type();
        u.street = d.street();
        u.grids = List.copyOf(d.grids());
        u.categories = List.copyOf(d.categories());
        u.status = d.status() == null ? UnitStatus.AVAILABLE : d.status();
        u.capacity = d.capacity();
        u.latitude = d.latitude();
        u.longitude = d.longitude();
    }
}

package org.hotline.dispatch.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.hotline.dispatch.model.Assignment;
import org.hotline.dispatch.model.Unit;
import org.hotline.dispatch.service.DispatchLookup.Whistle;

/** One whistle and, per department, whether it reported in. */
public record WhistleView(UUID summonId, Instant blownAt, String blownBy, boolean allReportedIn,
        List<Department> departments) {

    public record Department(String unitId, String unitName, String unitType, String role, String status,
            boolean reportedIn, Instant reportedInAt, String reportedInBy) {
    }

    static WhistleView of(Whistle w) {
        List<Department> deps = w.summoned().stream().map(s -> {
            Assignment a = s.assignment();
            Unit u = s.unit();
            return new Department(u.id, u.name, u.type.name(), a.role.name(), a.status.name(), a.ackedAt != null,
                    a.ackedAt, a.ackedBy);
        }).toList();
        Assignment first = w.summoned().get(0).assignment();
        return new WhistleView(w.summonId(), first.createdAt, first.createdBy,
                deps.stream().allMatch(Department::reportedIn), deps);
    }
}

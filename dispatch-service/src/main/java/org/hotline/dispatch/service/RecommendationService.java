package org.hotline.dispatch.service;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.model.Unit;
import org.hotline.dispatch.model.UnitStatus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * The ranking rule, in one place. Candidates: units of the ticket's street that handle its
 * category, not off duty and not at capacity. Order: covering the ticket's grid first, then the
 * lowest load (open assignments / capacity), then the nearest base, then id for a stable order.
 */
@ApplicationScoped
public class RecommendationService {

    private final EntityManager em;

    public RecommendationService(EntityManager em) {
        this.em = em;
    }

    public List<Recommendation> recommend(DispatchTicket ticket) {
        return recommend(ticket, Set.of());
    }

    /** The ranking without the excluded units (e.g. those that already led the ticket). */
    public List<Recommendation> recommend(DispatchTicket ticket, Set<String> excluded) {
        List<Unit> units = em.createQuery("from Unit u where u.street = :street and u.status <> :off", Unit.class)
                .setParameter("street", ticket.street).setParameter("off", UnitStatus.OFF_DUTY).getResultList()
                .stream().filter(u -> u.categories.contains(ticket.category) && !excluded.contains(u.id)).toList();
        Map<String, Integer> load = openAssignments(units.stream().map(u -> u.id).toList());
        record Candidate(Unit unit, boolean inGrid, int open, double loadRatio, Double distance) {
        }
        List<Candidate> candidates = new ArrayList<>();
        for (Unit u : units) {
            int open = load.getOrDefault(u.id, 0);
            if (open >= u.capacity) {
                continue;
            }
            boolean inGrid = ticket.grid != null && u.grids.contains(ticket.grid);
            candidates.add(new Candidate(u, inGrid, open, (double) open / u.capacity, distance(ticket, u)));
        }
        candidates.sort(Comparator.comparing((Candidate c) -> !c.inGrid())
                .thenComparingDouble(Candidate::loadRatio)
                .thenComparing(c -> c.distance() == null ? Double.MAX_VALUE : c.distance())
                .thenComparing(c -> c.unit().id));
        List<Recommendation> out = new ArrayList<>();
        int rank = 1;
        for (Candidate c : candidates) {
            List<String> reasons = new ArrayList<>();
            reasons.add("handles category " + ticket.category);
            reasons.add("in street " + ticket.street + (c.inGrid() ? ", covers grid " + ticket.grid : ""));
            reasons.add(c.unit().status == UnitStatus.AVAILABLE ? "available" : "busy");
            reasons.add("load " + c.open() + "/" + c.unit().capacity);
            if (c.distance() != null) {
                reasons.add(String.format("%.0f m away", c.distance()));
            }
            out.add(new Recommendation(c.unit().id, c.unit().name, c.unit().type.name(), rank++, c.inGrid(), c.open(),
                    c.unit().capacity, c.distance(), reasons));
        }
        return out;
    }

    /** Open assignments of the candidates only (the partial index assignment_unit_open serves it). */
    private Map<String, Integer> openAssignments(List<String> unitIds) {
        Map<String, Integer> load = new HashMap<>();
        if (unitIds.isEmpty()) {
            return load;
        }
        for (Object[] row : em.createQuery("select a.unitId, count(a) from Assignment a where a.unitId in :units and a.status in "
                + "(org.hotline.dispatch.model.AssignmentStatus.OFFERED, org.hotline.dispatch.model.AssignmentStatus.ACKNOWLEDGED, "
                + "org.hotline.dispatch.model.AssignmentStatus.ON_SCENE) group by a.unitId", Object[].class)
                .setParameter("units", unitIds).getResultList()) {
            load.put((String) row[0], ((Number) row[1]).intValue());
        }
        return load;
    }

    /** Great-circle distance in metres, when both ends have coordinates. */
    static Double distance(DispatchTicket t, Unit u) {
        if (t.latitude == null || t.longitude == null || u.latitude == null || u.longitude == null) {
            return null;
        }
        return distance(t.latitude, t.longitude, u.latitude, u.longitude);
    }

    /** Haversine, metres. */
    static double distance(double lat1, double lon1, double lat2, double lon2) {
        double r = 6_371_000;
        double dLat = Math.toRadians(lat2 - lat1);
        double dLon = Math.toRadians(lon2 - lon1);
        double a = Math.sin(dLat / 2) * Math.sin(dLat / 2) + Math.cos(Math.toRadians(lat1))
                * Math.cos(Math.toRadians(lat2)) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
        return 2 * r * Math.asin(Math.sqrt(a));
    }
}

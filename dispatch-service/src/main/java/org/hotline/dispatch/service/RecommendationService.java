package org.hotline.dispatch.service;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.model.RosterMoment;
import org.hotline.dispatch.model.UnitStatus;
import org.hotline.dispatch.repository.RosterRepository;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The ranking rule, in one place. Candidates: units of the ticket's street that handle its
 * category, not off duty, with at least one member on duty now by the roster ({@link DutyRoster}:
 * a unit without any shift has nobody to tell of an order, so it is never recommended nor
 * dispatched automatically), and not at capacity. Order: covering the ticket's grid first, then
 * the lowest load (open assignments / capacity), then the nearest base, then id for a stable order.
 */
@ApplicationScoped
public class RecommendationService {

    private final RosterRepository rosterRows;
    private final Clock clock;
    private final DutyRoster roster;

    public RecommendationService(RosterRepository rosterRows, Clock clock, DutyRoster roster) {
        this.rosterRows = rosterRows;
        this.clock = clock;
        this.roster = roster;
    }

    public List<Recommendation> recommend(DispatchTicket ticket) {
        return recommend(ticket, Set.of());
    }

    /** The ranking without the excluded units (e.g. those that already led the ticket). */
    public List<Recommendation> recommend(DispatchTicket ticket, Set<String> excluded) {
        RosterMoment now = roster.at(clock.instant());
        record Candidate(String id, String name, String type, UnitStatus status, int capacity, boolean inGrid,
                int open, double loadRatio, Double distance, String shift) {
        }
        List<Candidate> candidates = new ArrayList<>();
        List<RosterRepository.Candidate> rows = rosterRows.candidates(ticket.street, ticket.category, ticket.grid, now);
        roster.ranked(now, rows);
        for (RosterRepository.Candidate r : rows) {
            if (excluded.contains(r.id())) {
                continue;
            }
            candidates.add(new Candidate(r.id(), r.name(), r.type(), UnitStatus.valueOf(r.status()), r.capacity(),
                    r.inGrid(), r.open(), (double) r.open() / r.capacity(),
                    distance(ticket, r.latitude(), r.longitude()), r.shiftStart() + "–" + r.shiftEnd()));
        }
        candidates.sort(Comparator.comparing((Candidate c) -> !c.inGrid())
                .thenComparingDouble(Candidate::loadRatio)
                .thenComparing(c -> c.distance() == null ? Double.MAX_VALUE : c.distance())
                .thenComparing(Candidate::id));
        List<Recommendation> out = new ArrayList<>(candidates.size());
        int rank = 1;
        for (Candidate c : candidates) {
            List<String> reasons = new ArrayList<>(6);
            reasons.add("handles category " + ticket.category);
            reasons.add("in street " + ticket.street + (c.inGrid() ? ", covers grid " + ticket.grid : ""));
            reasons.add("on duty (shift " + c.shift() + ")");
            reasons.add(c.status() == UnitStatus.AVAILABLE ? "available" : "busy");
            reasons.add("load " + c.open() + "/" + c.capacity());
            if (c.distance() != null) {
                reasons.add(Math.round(c.distance()) + " m away");
            }
            out.add(new Recommendation(c.id(), c.name(), c.type(), rank++, c.inGrid(), c.open(), c.capacity(),
                    c.distance(), reasons));
        }
        return out;
    }

    /** Great-circle distance in metres, when both ends have coordinates. */
    static Double distance(DispatchTicket t, Double latitude, Double longitude) {
        if (t.latitude == null || t.longitude == null || latitude == null || longitude == null) {
            return null;
        }
        return distance(t.latitude, t.longitude, latitude, longitude);
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

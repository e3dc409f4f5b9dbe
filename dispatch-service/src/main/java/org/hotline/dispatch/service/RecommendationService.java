package org.hotline.dispatch.service;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import org.hotline.dispatch.model.AssignmentStatus;
import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.model.UnitStatus;

import org.hibernate.Session;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * The ranking rule, in one place. Candidates: units of the ticket's street that handle its
 * category, not off duty, with at least one member on duty now by the roster ({@link DutyRoster}:
 * a unit without any shift has nobody to tell of an order, so it is never recommended nor
 * dispatched automatically), and not at capacity. Order: covering the ticket's grid first, then
 * the lowest load (open assignments / capacity), then the nearest base, then id for a stable order.
 */
@ApplicationScoped
public class RecommendationService {

    /**
     * One statement for the candidates: the filter (street, category, status, roster, capacity) and
     * each candidate's load are computed by PostgreSQL from indexes (unit_street, unit_shift_unit,
     * the partial assignment_unit_open); no entity is loaded. Parameters: the grid (a ticket without
     * one binds "", matching no grid), the roster's moment (DutyRoster.Moment.bind), street, category.
     */
    private static final String CANDIDATES = """
            select u.id, u.name, u.type, u.status, u.capacity, u.latitude, u.longitude,
                   ? = any(u.grids) as in_grid,
                   l.open, d.start_time, d.end_time
            from unit u
            cross join lateral (select count(*) as open from assignment a
                                where a.unit_id = u.id and a.status in %s) l
            join lateral (select s.start_time, s.end_time from unit_shift s
                          where s.unit_id = u.id and %s
                          order by s.start_time, s.end_time limit 1) d on true
            where u.street = ? and u.status <> 'OFF_DUTY' and ? = any(u.categories)
              and l.open < u.capacity
            """.formatted(AssignmentStatus.OPEN_SQL, DutyRoster.COVERS);

    private final EntityManager em;
    private final Clock clock;
    private final DutyRoster roster;

    public RecommendationService(EntityManager em, Clock clock, DutyRoster roster) {
        this.em = em;
        this.clock = clock;
        this.roster = roster;
    }

    public List<Recommendation> recommend(DispatchTicket ticket) {
        return recommend(ticket, Set.of());
    }

    /** The ranking without the excluded units (e.g. those that already led the ticket). */
    public List<Recommendation> recommend(DispatchTicket ticket, Set<String> excluded) {
        DutyRoster.Moment now = roster.at(clock.instant());
        record Candidate(String id, String name, String type, UnitStatus status, int capacity, boolean inGrid,
                int open, double loadRatio, Double distance, String shift) {
        }
        // plain JDBC: the rows are read once into candidates, and Hibernate's native-query machinery
        // (parameter and result interpretation on every call) buys nothing here. Unlike a Hibernate
        // query it does not flush by itself: inside a transaction, pending changes (an assignment
        // just ended) must count in the loads.
        Session session = em.unwrap(Session.class);
        if (session.isJoinedToTransaction()) {
            session.flush();
        }
        List<Candidate> candidates = session.doReturningWork(connection -> {
            List<Candidate> out = new ArrayList<>();
            try (PreparedStatement ps = connection.prepareStatement(CANDIDATES)) {
                ps.setString(1, ticket.grid == null ? "" : ticket.grid);
                int next = now.bind(ps, 2);
                ps.setString(next, ticket.street);
                ps.setString(next + 1, ticket.category);
                try (ResultSet r = ps.executeQuery()) {
                    while (r.next()) {
                        String id = r.getString(1);
                        if (excluded.contains(id)) {
                            continue;
                        }
                        int capacity = r.getInt(5);
                        int open = r.getInt(9);
                        Double latitude = r.getObject(6, Double.class);
                        Double longitude = r.getObject(7, Double.class);
                        String start = r.getString(10);
                        out.add(new Candidate(id, r.getString(2), r.getString(3), UnitStatus.valueOf(r.getString(4)),
                                capacity, ticket.grid != null && r.getBoolean(8), open, (double) open / capacity,
                                distance(ticket, latitude, longitude), start + "–" + r.getString(11)));
                    }
                }
            }
            return out;
        });
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

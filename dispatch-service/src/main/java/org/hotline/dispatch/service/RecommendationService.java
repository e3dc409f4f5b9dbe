package org.hotline.dispatch.service;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.model.UnitStatus;

import org.hibernate.Session;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * The ranking rule, in one place. Candidates: units of the ticket's street that handle its
 * category, not off duty, on duty by their roster now, and not at capacity. On duty by roster: at
 * least one shift of the unit covers now (local time in Asia/Shanghai, an overnight shift belongs
 * to the day it starts, as in notification-service's OnDuty); a unit with no shift at all is on
 * duty by its status alone (demo and legacy units may have no roster). Order: covering the ticket's
 * grid first, then the lowest load (open assignments / capacity), then the nearest base, then id for
 * a stable order.
 */
@ApplicationScoped
public class RecommendationService {

    /** Shift times are local times of the command room. */
    public static final ZoneId ROSTER_ZONE = ZoneId.of("Asia/Shanghai");

    /**
     * One statement for the candidates: the filter (street, category, status, roster, capacity) and
     * each candidate's load are computed by PostgreSQL from indexes (unit_street, unit_shift_unit,
     * the partial assignment_unit_open); no entity is loaded. Shift times are validated HH:mm, so
     * text comparison is time comparison. Parameters: see BIND (a ticket without a grid binds "",
     * matching no grid).
     */
    private static final String CANDIDATES = """
            select u.id, u.name, u.type, u.status, u.capacity, u.latitude, u.longitude,
                   ? = any(u.grids) as in_grid,
                   l.open, d.start_time, d.end_time
            from unit u
            cross join lateral (select count(*) as open from assignment a
                                where a.unit_id = u.id and a.status in ('OFFERED', 'ACKNOWLEDGED', 'ON_SCENE')) l
            left join lateral (select s.start_time, s.end_time from unit_shift s
                               where s.unit_id = u.id and (
                                   (s.end_time > s.start_time and ? = any(s.days)
                                        and s.start_time <= ? and ? < s.end_time)
                                or (s.end_time <= s.start_time and ? = any(s.days)
                                        and s.start_time <= ?)
                                or (s.end_time <= s.start_time and ? = any(s.days)
                                        and ? < s.end_time))
                               order by s.start_time, s.end_time limit 1) d on true
            where u.street = ? and u.status <> 'OFF_DUTY' and ? = any(u.categories)
              and l.open < u.capacity
              and (d.start_time is not null or not exists (select 1 from unit_shift x where x.unit_id = u.id))
            """;

    /** Which value each "?" of CANDIDATES takes, in order: 1 street, 2 category, 3 grid, 4 today, 5 yesterday, 6 now. */
    private static final int[] BIND = {3, 4, 6, 6, 4, 6, 5, 6, 1, 2};

    private final EntityManager em;
    private final Clock clock;

    public RecommendationService(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    public List<Recommendation> recommend(DispatchTicket ticket) {
        return recommend(ticket, Set.of());
    }

    /** The ranking without the excluded units (e.g. those that already led the ticket). */
    public List<Recommendation> recommend(DispatchTicket ticket, Set<String> excluded) {
        ZonedDateTime local = clock.instant().atZone(ROSTER_ZONE);
        String now = String.format("%02d:%02d", local.getHour(), local.getMinute());
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
                String[] values = {ticket.street, ticket.category, ticket.grid == null ? "" : ticket.grid,
                    day(local.getDayOfWeek()), day(local.getDayOfWeek().minus(1)), now};
                for (int i = 0; i < BIND.length; i++) {
                    ps.setString(i + 1, values[BIND[i] - 1]);
                }
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
                                distance(ticket, latitude, longitude), start == null ? null : start + "–" + r.getString(11)));
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
            reasons.add(c.shift() != null ? "on duty (shift " + c.shift() + ")" : "on duty (no duty roster: by status)");
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

    /** The roster's day code (MON..SUN). */
    static String day(DayOfWeek d) {
        return d.name().substring(0, 3);
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

package org.hotline.dispatch.repository;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import org.hibernate.Session;
import org.hotline.dispatch.model.AssignmentStatus;
import org.hotline.dispatch.model.RosterMoment;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * The duty roster's statements: who of a unit is on duty, and which units may take a ticket now.
 * Plain JDBC: the rows are read once, and Hibernate's native-query machinery (parameter and result
 * interpretation on every call) buys nothing here.
 */
@ApplicationScoped
public class RosterRepository {

    /**
     * "Shift row {@code s} covers the moment", for SQL over {@code unit_shift s}. Shift times are
     * validated HH:mm, so text comparison is time comparison. Its seven parameters are bound by
     * {@link RosterMoment#bind}.
     */
    static final String COVERS = """
            ((s.end_time > s.start_time and ? = any(s.days) and s.start_time <= ? and ? < s.end_time)
             or (s.end_time <= s.start_time and ? = any(s.days) and s.start_time <= ?)
             or (s.end_time <= s.start_time and ? = any(s.days) and ? < s.end_time))""";

    private static final String MEMBERS_ON_DUTY = "select distinct s.member_id from unit_shift s where s.unit_id = ? and "
            + COVERS + " order by 1";

    /**
     * One statement for the candidates: the filter (street, category, status, roster, capacity) and
     * each candidate's load and members on duty are computed by PostgreSQL from indexes
     * (unit_street, unit_shift_unit, the partial assignment_unit_open); no entity is loaded.
     * Parameters: the grid (a ticket without one binds "", matching no grid), the roster's moment
     * (RosterMoment.bind), street, category. The shift a candidate is on duty by is its first
     * covering one by start and end; its members on duty are those of {@link #MEMBERS_ON_DUTY}, in
     * the same order (an assignment of the candidate in the same minute names them without asking
     * again, DutyRoster).
     */
    private static final String CANDIDATES = """
            select u.id, u.name, u.type, u.status, u.capacity, u.latitude, u.longitude,
                   ? = any(u.grids) as in_grid,
                   l.open, d.start_times[1], d.end_times[1], d.on_duty
            from unit u
            cross join lateral (select count(*) as open from assignment a
                                where a.unit_id = u.id and a.status in %s) l
            cross join lateral (select array_agg(s.start_time order by s.start_time, s.end_time) as start_times,
                                       array_agg(s.end_time order by s.start_time, s.end_time) as end_times,
                                       array_agg(distinct s.member_id order by s.member_id) as on_duty
                                from unit_shift s
                                where s.unit_id = u.id and %s) d
            where u.street = ? and u.status <> 'OFF_DUTY' and ? = any(u.categories)
              and l.open < u.capacity and d.on_duty is not null
            """.formatted(AssignmentStatus.OPEN_SQL, COVERS);

    /** A unit that may take a ticket now, as the candidates statement reads it, with its members on duty (by id). */
    public record Candidate(String id, String name, String type, String status, int capacity, Double latitude,
            Double longitude, boolean inGrid, int open, String shiftStart, String shiftEnd, List<String> onDuty) {
    }

    private final EntityManager em;

    public RosterRepository(EntityManager em) {
        this.em = em;
    }

    /** The unit's members on duty at the moment, by member id (in id order). */
    public List<String> membersOnDuty(String unitId, RosterMoment m) {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = connection.prepareStatement(MEMBERS_ON_DUTY)) {
                ps.setString(1, unitId);
                m.bind(ps, 2);
                try (ResultSet r = ps.executeQuery()) {
                    while (r.next()) {
                        out.add(r.getString(1));
                    }
                }
            }
            return out;
        });
    }

    /**
     * The units of the street handling the category, not off duty, with a member on duty at the
     * moment and below capacity; {@code inGrid} for those covering {@code grid} (null: none does).
     */
    public List<Candidate> candidates(String street, String category, String grid, RosterMoment now) {
        // unlike a Hibernate query plain JDBC does not flush by itself: inside a transaction, pending
        // changes (an assignment just ended) must count in the loads
        Session session = em.unwrap(Session.class);
        if (session.isJoinedToTransaction()) {
            session.flush();
        }
        return session.doReturningWork(connection -> {
            List<Candidate> out = new ArrayList<>();
            try (PreparedStatement ps = connection.prepareStatement(CANDIDATES)) {
                ps.setString(1, grid == null ? "" : grid);
                int next = now.bind(ps, 2);
                ps.setString(next, street);
                ps.setString(next + 1, category);
                try (ResultSet r = ps.executeQuery()) {
                    while (r.next()) {
                        out.add(new Candidate(r.getString(1), r.getString(2), r.getString(3), r.getString(4),
                                r.getInt(5), r.getObject(6, Double.class), r.getObject(7, Double.class),
                                grid != null && r.getBoolean(8), r.getInt(9), r.getString(10), r.getString(11),
                                List.of((String[]) r.getArray(12).getArray())));
                    }
                }
            }
            return out;
        });
    }
}

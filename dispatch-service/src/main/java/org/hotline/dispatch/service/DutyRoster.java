package org.hotline.dispatch.service;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

import org.hibernate.Session;
import org.hotline.backbone.config.BackboneConfig;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

/**
 * The on-duty rule (值班), in one place for the whole system: a member is on duty while one of his
 * shifts covers the moment, read as a local time in {@code hotline.time-zone}; a shift whose end is
 * not after its start runs past midnight and belongs to the day it starts (MON 20:00-08:00 covers
 * Monday 20:00 to Tuesday 08:00; 00:00-00:00 is the whole day). A unit is on duty while at least
 * one member is; a unit without any shift has nobody on duty. Recommendations (hence auto-dispatch,
 * the ack-lapse pass-on and escalation actions) only take units on duty, and every
 * {@code assignment.created} names the members to tell ({@code notifyMemberIds}), so
 * notification-service never needs a roster rule of its own.
 */
@ApplicationScoped
public class DutyRoster {

    /**
     * "Shift row {@code s} covers the moment", for SQL over {@code unit_shift s}. Shift times are
     * validated HH:mm, so text comparison is time comparison. Its seven parameters are bound by
     * {@link Moment#bind}.
     */
    public static final String COVERS = """
            ((s.end_time > s.start_time and ? = any(s.days) and s.start_time <= ? and ? < s.end_time)
             or (s.end_time <= s.start_time and ? = any(s.days) and s.start_time <= ?)
             or (s.end_time <= s.start_time and ? = any(s.days) and ? < s.end_time))""";

    private static final String MEMBERS_ON_DUTY = "select distinct s.member_id from unit_shift s where s.unit_id = ? and "
            + COVERS + " order by 1";

    /** A moment as the roster reads it: today's and yesterday's day codes (MON..SUN) and the local HH:mm. */
    public record Moment(String today, String yesterday, String time) {

        /** Binds {@link #COVERS}' parameters from {@code index} on; returns the next free index. */
        public int bind(PreparedStatement ps, int index) throws SQLException {
            String[] values = {today, time, time, today, time, yesterday, time};
            for (String v : values) {
                ps.setString(index++, v);
            }
            return index;
        }
    }

    private final EntityManager em;
    private final ZoneId zone;

    public DutyRoster(EntityManager em, BackboneConfig backbone) {
        this.em = em;
        this.zone = backbone.timeZone();
    }

    /** The zone shifts are read in ({@code hotline.time-zone}). */
    public ZoneId zone() {
        return zone;
    }

    public Moment at(Instant instant) {
        ZonedDateTime local = instant.atZone(zone);
        return new Moment(day(local.getDayOfWeek()), day(local.getDayOfWeek().minus(1)),
                String.format("%02d:%02d", local.getHour(), local.getMinute()));
    }

    /** The unit's members on duty at the instant, by member id (in id order). */
    public List<String> membersOnDuty(String unitId, Instant at) {
        Moment m = at(at);
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

    /** The roster's day code (MON..SUN). */
    static String day(DayOfWeek d) {
        return d.name().substring(0, 3);
    }
}

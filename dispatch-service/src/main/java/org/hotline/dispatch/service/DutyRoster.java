package org.hotline.dispatch.service;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

import org.hotline.backbone.config.BackboneConfig;
import org.hotline.dispatch.model.RosterMoment;
import org.hotline.dispatch.repository.RosterRepository;

import jakarta.enterprise.context.ApplicationScoped;

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

    private final RosterRepository rows;
    private final ZoneId zone;

    public DutyRoster(RosterRepository rows, BackboneConfig backbone) {
        this.rows = rows;
        this.zone = backbone.timeZone();
    }

    /** The zone shifts are read in ({@code hotline.time-zone}). */
    public ZoneId zone() {
        return zone;
    }

    public RosterMoment at(Instant instant) {
        ZonedDateTime local = instant.atZone(zone);
        return new RosterMoment(day(local.getDayOfWeek()), day(local.getDayOfWeek().minus(1)),
                String.format("%02d:%02d", local.getHour(), local.getMinute()));
    }

    /** The unit's members on duty at the instant, by member id (in id order). */
    public List<String> membersOnDuty(String unitId, Instant at) {
        return rows.membersOnDuty(unitId, at(at));
    }

    /** The roster's day code (MON..SUN). */
    static String day(DayOfWeek d) {
        return d.name().substring(0, 3);
    }
}

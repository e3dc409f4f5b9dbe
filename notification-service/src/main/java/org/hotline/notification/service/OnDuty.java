package org.hotline.notification.service;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;

import org.hotline.notification.messaging.UnitUpdated.Shift;

/**
 * Is a member on duty at an instant? Shifts are local times in the configured zone
 * (Asia/Shanghai) on named weekdays. A shift whose end is not after its start runs past midnight
 * and belongs to the day it starts: MON 20:00-08:00 covers Monday 20:00 to Tuesday 08:00. A member
 * without a shift is never on duty.
 */
public final class OnDuty {

    private OnDuty() {
    }

    public static boolean onDuty(String memberId, List<Shift> shifts, Instant at, ZoneId zone) {
        if (shifts == null) {
            return false;
        }
        ZonedDateTime local = at.atZone(zone);
        DayOfWeek today = local.getDayOfWeek();
        LocalTime time = local.toLocalTime();
        for (Shift s : shifts) {
            if (s == null || !memberId.equals(s.memberId()) || s.start() == null || s.end() == null) {
                continue;
            }
            LocalTime start = LocalTime.parse(s.start());
            LocalTime end = LocalTime.parse(s.end());
            if (end.isAfter(start)) {
                if (covers(s, today) && !time.isBefore(start) && time.isBefore(end)) {
                    return true;
                }
            } else {
                // overnight: the evening part today, or the morning part of a shift that began yesterday
                if (covers(s, today) && !time.isBefore(start)) {
                    return true;
                }
                if (covers(s, today.minus(1)) && time.isBefore(end)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean covers(Shift s, DayOfWeek day) {
        if (s.days() == null) {
            return false;
        }
        String code = day.name().substring(0, 3);
        return s.days().stream().anyMatch(d -> d != null && d.toUpperCase(Locale.ROOT).startsWith(code));
    }
}

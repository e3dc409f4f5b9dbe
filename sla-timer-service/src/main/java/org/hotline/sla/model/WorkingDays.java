package org.hotline.sla.model;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Map;

/**
 * Counting working days on China's calendar. Weekends rest and weekdays work, except the days
 * the calendar lists: public holidays (HOLIDAY) and the weekend days worked in exchange (调休,
 * WORKDAY).
 *
 * <p>N working days from a moment end at the same time of day on the Nth working day after it; a
 * moment on a rest day counts from the start of the next working day. (Received Friday 10:00,
 * three working days: Wednesday 10:00. Received Saturday: Thursday 00:00, the end of Wednesday.)
 */
public final class WorkingDays {

    public enum Kind {
        HOLIDAY, WORKDAY
    }

    private WorkingDays() {
    }

    public static boolean isWorking(LocalDate day, Map<LocalDate, Kind> calendar) {
        Kind listed = calendar.get(day);
        if (listed != null) {
            return listed == Kind.WORKDAY;
        }
        return day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY;
    }

    public static LocalDateTime add(LocalDateTime from, int days, Map<LocalDate, Kind> calendar) {
        if (days < 0) {
            throw new IllegalArgumentException("days must not be negative");
        }
        LocalDateTime start = from;
        if (!isWorking(start.toLocalDate(), calendar)) {
            LocalDate d = start.toLocalDate().plusDays(1);
            while (!isWorking(d, calendar)) {
                d = d.plusDays(1);
            }
            start = d.atStartOfDay();
        }
        LocalDate day = start.toLocalDate();
        for (int left = days; left > 0;) {
            day = day.plusDays(1);
            if (isWorking(day, calendar)) {
                left--;
            }
        }
        return day.atTime(start.toLocalTime());
    }
}

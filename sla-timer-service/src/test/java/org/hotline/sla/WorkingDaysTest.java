package org.hotline.sla;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Map;

import org.hotline.sla.model.WorkingDays;
import org.hotline.sla.model.WorkingDays.Kind;
import org.junit.jupiter.api.Test;

class WorkingDaysTest {

    // the 2026 Spring Festival as the State Council scheduled it: Sat 14 Feb worked, 15-23 Feb off
    static final Map<LocalDate, Kind> SPRING_FESTIVAL_2026 = Map.ofEntries(
            Map.entry(LocalDate.of(2026, 2, 14), Kind.WORKDAY),
            Map.entry(LocalDate.of(2026, 2, 15), Kind.HOLIDAY), Map.entry(LocalDate.of(2026, 2, 16), Kind.HOLIDAY),
            Map.entry(LocalDate.of(2026, 2, 17), Kind.HOLIDAY), Map.entry(LocalDate.of(2026, 2, 18), Kind.HOLIDAY),
            Map.entry(LocalDate.of(2026, 2, 19), Kind.HOLIDAY), Map.entry(LocalDate.of(2026, 2, 20), Kind.HOLIDAY),
            Map.entry(LocalDate.of(2026, 2, 21), Kind.HOLIDAY), Map.entry(LocalDate.of(2026, 2, 22), Kind.HOLIDAY),
            Map.entry(LocalDate.of(2026, 2, 23), Kind.HOLIDAY),
            Map.entry(LocalDate.of(2026, 2, 28), Kind.WORKDAY));

    @Test
    void anOrdinaryWeekSkipsTheWeekend() {
        // Friday 20 Nov 2026, 10:00 + 3 working days = Wednesday 25 Nov, 10:00
        assertEquals(LocalDateTime.of(2026, 11, 25, 10, 0),
                WorkingDays.add(LocalDateTime.of(2026, 11, 20, 10, 0), 3, Map.of()));
    }

    @Test
    void aReportOnARestDayCountsFromTheNextWorkingMorning() {
        // Saturday 21 Nov 2026 + 3 working days: Mon, Tue, Wed counted, due Thursday 00:00
        assertEquals(LocalDateTime.of(2026, 11, 26, 0, 0),
                WorkingDays.add(LocalDateTime.of(2026, 11, 21, 15, 30), 3, Map.of()));
    }

    @Test
    void holidaysDoNotCountAndMakeUpSaturdaysDo() {
        // Friday 13 Feb 2026, 10:00: Sat 14 Feb is worked (1), 15-23 Feb off, Tue 24 (2), Wed 25 (3)
        assertEquals(LocalDateTime.of(2026, 2, 25, 10, 0),
                WorkingDays.add(LocalDateTime.of(2026, 2, 13, 10, 0), 3, SPRING_FESTIVAL_2026));
        // seven: ... Thu 26 (4), Fri 27 (5), the make-up Saturday 28 Feb (6), Sunday off, Monday 2 March (7)
        assertEquals(LocalDateTime.of(2026, 3, 2, 10, 0),
                WorkingDays.add(LocalDateTime.of(2026, 2, 13, 10, 0), 7, SPRING_FESTIVAL_2026));
    }

    @Test
    void aReportDuringTheHolidayCountsFromTheFirstDayBack() {
        // Wednesday 18 Feb 2026 (holiday): counting starts Tue 24 Feb 00:00; 1 working day later: Wed 25 00:00
        assertEquals(LocalDateTime.of(2026, 2, 25, 0, 0),
                WorkingDays.add(LocalDateTime.of(2026, 2, 18, 9, 0), 1, SPRING_FESTIVAL_2026));
    }
}

package org.hotline.notification;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;

import org.hotline.notification.messaging.UnitUpdated.Shift;
import org.hotline.notification.service.OnDuty;
import org.junit.jupiter.api.Test;

/** Shift arithmetic in Asia/Shanghai, including shifts past midnight and the days they belong to. */
class OnDutyTest {

    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    /** 2026-11-23 is a Monday. */
    static Instant at(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(SHANGHAI).toInstant();
    }

    static final List<Shift> SHIFTS = List.of(
            new Shift("day", List.of("MON", "TUE", "WED", "THU", "FRI"), "08:00", "20:00"),
            new Shift("night", List.of("MON"), "20:00", "08:00"));

    @Test
    void aDayShiftCoversItsHoursOnItsDaysOnly() {
        assertTrue(OnDuty.onDuty("day", SHIFTS, at("2026-11-23T08:00"), SHANGHAI));
        assertTrue(OnDuty.onDuty("day", SHIFTS, at("2026-11-23T19:59"), SHANGHAI));
        assertFalse(OnDuty.onDuty("day", SHIFTS, at("2026-11-23T20:00"), SHANGHAI), "the end is exclusive");
        assertFalse(OnDuty.onDuty("day", SHIFTS, at("2026-11-23T07:59"), SHANGHAI));
        assertFalse(OnDuty.onDuty("day", SHIFTS, at("2026-11-22T10:00"), SHANGHAI), "Sunday is not a shift day");
    }

    @Test
    void anOvernightShiftRunsPastMidnightIntoTheNextDay() {
        assertTrue(OnDuty.onDuty("night", SHIFTS, at("2026-11-23T20:00"), SHANGHAI));
        assertTrue(OnDuty.onDuty("night", SHIFTS, at("2026-11-24T02:00"), SHANGHAI), "Monday's night shift, Tuesday 02:00");
        assertFalse(OnDuty.onDuty("night", SHIFTS, at("2026-11-24T08:00"), SHANGHAI));
        assertFalse(OnDuty.onDuty("night", SHIFTS, at("2026-11-23T02:00"), SHANGHAI), "Monday 02:00 belongs to Sunday's night");
        assertFalse(OnDuty.onDuty("night", SHIFTS, at("2026-11-24T20:00"), SHANGHAI), "no shift on Tuesday night");
    }

    @Test
    void aMemberWithoutAShiftIsNeverOnDutyAndTheZoneIsShanghai() {
        assertFalse(OnDuty.onDuty("nobody", SHIFTS, at("2026-11-23T10:00"), SHANGHAI));
        // 02:00 UTC is 10:00 in Shanghai
        assertTrue(OnDuty.onDuty("day", SHIFTS, Instant.parse("2026-11-23T02:00:00Z"), SHANGHAI));
    }
}

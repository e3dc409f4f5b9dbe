package org.hotline.dispatch.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The roster minute, compared as text with shifts' "HH:mm" starts and ends: it must be zero-padded. */
class DutyRosterTest {

    @Test
    void theRosterMinuteIsZeroPaddedAroundTheClock() {
        assertEquals("00:00", DutyRoster.hhmm(0, 0));
        assertEquals("08:05", DutyRoster.hhmm(8, 5));
        assertEquals("12:30", DutyRoster.hhmm(12, 30));
        assertEquals("23:59", DutyRoster.hhmm(23, 59));
    }
}

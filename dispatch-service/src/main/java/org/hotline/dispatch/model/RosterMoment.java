package org.hotline.dispatch.model;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A moment as the duty roster reads it: today's and yesterday's day codes (MON..SUN) and the
 * local HH:mm, in {@code hotline.time-zone}.
 */
public record RosterMoment(String today, String yesterday, String time) {

    /** Binds the roster's "covers" condition's parameters from {@code index} on; returns the next free index. */
    public int bind(PreparedStatement ps, int index) throws SQLException {
        String[] values = {today, time, time, today, time, yesterday, time};
        for (String v : values) {
            ps.setString(index++, v);
        }
        return index;
    }
}

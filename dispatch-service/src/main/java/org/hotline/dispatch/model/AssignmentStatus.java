package org.hotline.dispatch.model;

import java.util.EnumSet;
import java.util.Set;

public enum AssignmentStatus {
    /** ordered, not yet acknowledged (签收) */
    OFFERED,
    ACKNOWLEDGED,
    ON_SCENE,
    /** the unit reported its result (办结) */
    DONE,
    /** the unit sent it back (退单); the dispatcher decides */
    RETURNED,
    /** not acknowledged in time: passed on */
    LAPSED,
    /** taken away: re-dispatch, cancellation */
    WITHDRAWN;

    /** Counts against the unit's capacity. */
    public static final Set<AssignmentStatus> OPEN = EnumSet.of(OFFERED, ACKNOWLEDGED, ON_SCENE);

    public boolean open() {
        return OPEN.contains(this);
    }
}

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

    /**
     * {@link #OPEN} as an HQL literal list. Queries on every transition use it instead of a
     * collection parameter: Hibernate does not cache the plan of a query with a parameter list and
     * translates it again on every execution; a fixed query is translated once.
     */
    public static final String OPEN_HQL = "(org.hotline.dispatch.model.AssignmentStatus.OFFERED, "
            + "org.hotline.dispatch.model.AssignmentStatus.ACKNOWLEDGED, org.hotline.dispatch.model.AssignmentStatus.ON_SCENE)";

    public boolean open() {
        return OPEN.contains(this);
    }
}

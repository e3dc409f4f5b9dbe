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
     * {@link #OPEN} as an HQL literal list, derived from the set. Queries on every transition use it
     * instead of a collection parameter: Hibernate does not cache the plan of a query with a
     * parameter list and translates it again on every execution; a fixed query is translated once.
     */
    public static final String OPEN_HQL = OPEN.stream().map(s -> AssignmentStatus.class.getName() + "." + s.name())
            .collect(java.util.stream.Collectors.joining(", ", "(", ")"));

    /**
     * {@link #OPEN} as an SQL literal list ({@code ('OFFERED', 'ACKNOWLEDGED', 'ON_SCENE')}) for
     * native statements. The partial indexes of V1__dispatch.sql repeat it (a migration cannot read
     * an enum); {@code OpenStatusesTest} checks they still agree with this set.
     */
    public static final String OPEN_SQL = OPEN.stream().map(s -> "'" + s.name() + "'")
            .collect(java.util.stream.Collectors.joining(", ", "(", ")"));

    public boolean open() {
        return OPEN.contains(this);
    }
}

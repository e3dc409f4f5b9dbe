package org.hotline.backbone.security;

import java.util.List;

/**
 * The six roles of the brief's "who uses it", as they appear in a token's {@code groups} claim.
 * Endpoints name them in {@code @RolesAllowed}; what a role may reach inside a street or unit is
 * {@link Caller}'s job.
 */
public final class Roles {

    /** Hotline operator: posts tickets, sees callers in full. */
    public static final String OPERATOR = "operator";
    /** Street command-room dispatcher (claim {@code street}). */
    public static final String DISPATCHER = "dispatcher";
    /** Field team member (claims {@code unit} and {@code member}). */
    public static final String FIELD = "field";
    /** Supervisor of a street or of the county (claim {@code area}: a street code or {@code county}). */
    public static final String SUPERVISOR = "supervisor";
    /** Runs the system: units, rosters, policies, audit. */
    public static final String ADMIN = "admin";
    /** Grafana / SLA monitoring: read-only figures. */
    public static final String MONITORING = "monitoring";

    public static final List<String> ALL = List.of(OPERATOR, DISPATCHER, FIELD, SUPERVISOR, ADMIN, MONITORING);

    /** The {@code area} claim value that gives a supervisor the whole county. */
    public static final String COUNTY = "county";

    private Roles() {
    }
}

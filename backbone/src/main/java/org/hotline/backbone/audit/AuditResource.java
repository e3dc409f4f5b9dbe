package org.hotline.backbone.audit;

import java.util.List;

import org.hotline.backbone.security.Roles;
import org.hotline.backbone.web.ProblemException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * The service's audit log, newest first, by ticket and/or by user. Every service has the same
 * endpoint over its own log: a ticket's full trail is the union of the four.
 */
@Path("/api/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.ADMIN, Roles.SUPERVISOR })
public class AuditResource {

    private final AuditLog log;

    public AuditResource(AuditLog log) {
        this.log = log;
    }

    @GET
    public List<AuditEntry> find(@QueryParam("ticket") String ticket, @QueryParam("user") String user,
            @QueryParam("before") Long before, @QueryParam("limit") Integer limit) {
        int n = limit == null ? 100 : limit;
        if (n < 1 || n > 500) {
            throw ProblemException.badRequest("limit", "between 1 and 500");
        }
        if (ticket == null && user == null) {
            throw ProblemException.badRequest("ticket", "name a ticket or a user (or both)");
        }
        return log.find(ticket, user, before, n);
    }
}

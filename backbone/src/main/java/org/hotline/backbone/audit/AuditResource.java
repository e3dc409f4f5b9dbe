package org.hotline.backbone.audit;

import java.util.List;

import org.hotline.backbone.security.Caller;
import org.hotline.backbone.security.Roles;
import org.hotline.backbone.web.ProblemException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * The service's audit log, newest first, by ticket and/or by user, for admin and county
 * supervisors. Every service has the same endpoint over its own log: a ticket's full trail is the
 * union of the four.
 */
@Path("/api/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.ADMIN, Roles.SUPERVISOR })
public class AuditResource {

    private final AuditLog log;
    private final Caller caller;

    public AuditResource(AuditLog log, Caller caller) {
        this.log = log;
        this.caller = caller;
    }

    @GET
    public List<AuditEntry> find(@QueryParam("ticket") String ticket, @QueryParam("user") String user,
            @QueryParam("before") Long before, @QueryParam("limit") Integer limit) {
        // the log spans every street (actors, client addresses): a street supervisor is refused
        if (!caller.has(Roles.ADMIN) && !caller.actsOn(null)) {
            throw ProblemException.forbidden("the audit log is open to admin and county supervisors");
        }
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

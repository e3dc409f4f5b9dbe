package org.hotline.sla.rest;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hotline.backbone.security.Caller;
import org.hotline.backbone.security.Roles;
import org.hotline.backbone.web.ProblemException;
import org.hotline.sla.service.DeadlineBoard;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * The command-room console's batch read of a street's open clocks, nearest deadline first (issue
 * #14). Roles and scope as the ticket clocks: a dispatcher reads his street, a supervisor his area,
 * monitoring and admin every street; another street is 403.
 */
@Path("/api/sla/board")
@Tag(name = "Clocks", description = "Stage clocks for consoles: deadlines, countdowns, lights")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.DISPATCHER, Roles.SUPERVISOR, Roles.MONITORING, Roles.ADMIN })
public class DeadlineBoardResource {

    private final DeadlineBoard board;
    private final Caller caller;

    public DeadlineBoardResource(DeadlineBoard board, Caller caller) {
        this.board = board;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "A street's tickets with a clock still counting, nearest real deadline first (breached first), with each stage's clock",
            description = "street defaults to the reader's own (a dispatcher's street, a street supervisor's area); a county "
                    + "supervisor, monitoring or admin without street gets every street. A street outside the reader's area is 403. "
                    + "limit 1-2000 (default 500).")
    public DeadlineBoard.Board board(@QueryParam("street") String street,
            @QueryParam("limit") @DefaultValue("500") int limit) {
        if (limit < 1 || limit > 2000) {
            throw ProblemException.badRequest("limit", "must be between 1 and 2000");
        }
        return board.board(caller.scopeStreet(street), limit);
    }
}

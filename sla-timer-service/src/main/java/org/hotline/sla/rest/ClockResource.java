package org.hotline.sla.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hotline.backbone.security.Caller;
import org.hotline.backbone.security.Roles;
import org.hotline.backbone.web.ProblemException;
import org.hotline.sla.model.StageClock;
import org.hotline.sla.service.ClockAdjustmentService;
import org.hotline.sla.service.ClockService;
import org.hotline.sla.service.SummaryService;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

@Path("/api/sla")
@Tag(name = "Clocks", description = "Stage clocks for consoles: deadlines, countdowns, lights")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.DISPATCHER, Roles.SUPERVISOR, Roles.MONITORING, Roles.ADMIN })
public class ClockResource {

    private final ClockService clocks;
    private final ClockAdjustmentService adjustments;
    private final SummaryService summaries;
    private final Caller caller;

    public ClockResource(ClockService clocks, ClockAdjustmentService adjustments, SummaryService summaries,
            Caller caller) {
        this.clocks = clocks;
        this.adjustments = adjustments;
        this.summaries = summaries;
        this.caller = caller;
    }

    @GET
    @Path("/summary")
    @Operation(summary = "On-time rates (三率: on-time vs breached) per stage, by street, lead unit type or policy")
    public List<SummaryService.Row> summary(@QueryParam("by") String by, @QueryParam("from") Instant from,
            @QueryParam("to") Instant to) {
        return summaries.summary(by, from, to);
    }

    @GET
    @Path("/tickets/{id}/clocks")
    @Operation(summary = "Each stage's deadline, time remaining, state, light and escalation level")
    public List<StageClockView> clocks(@PathParam("id") UUID id) {
        List<StageClock> found = clocks.clocks(id);
        if (found.isEmpty()) {
            throw ProblemException.notFound("clocks for ticket", id);
        }
        caller.requireStreet(found.get(0).street);
        Instant now = clocks.now();
        int repeats = adjustments.repeats(id);
        return found.stream().map(c -> StageClockView.of(c, now, repeats)).toList();
    }
}

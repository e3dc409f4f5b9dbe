package org.hotline.sla.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hotline.backbone.web.ProblemException;
import org.hotline.sla.model.StageClock;
import org.hotline.sla.service.ClockService;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/api/sla")
@Tag(name = "Clocks", description = "Stage clocks for consoles: deadlines, countdowns, lights")
@Produces(MediaType.APPLICATION_JSON)
public class ClockResource {

    private final ClockService clocks;

    public ClockResource(ClockService clocks) {
        this.clocks = clocks;
    }

    @GET
    @Path("/tickets/{id}/clocks")
    @Operation(summary = "Each stage's deadline, time remaining, state, light and escalation level")
    public List<StageClockView> clocks(@PathParam("id") UUID id) {
        List<StageClock> found = clocks.clocks(id);
        if (found.isEmpty()) {
            throw ProblemException.notFound("clocks for ticket", id);
        }
        Instant now = clocks.now();
        return found.stream().map(c -> StageClockView.of(c, now)).toList();
    }
}

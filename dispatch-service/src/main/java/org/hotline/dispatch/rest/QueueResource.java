package org.hotline.dispatch.rest;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hotline.backbone.security.Caller;
import org.hotline.backbone.security.Roles;
import org.hotline.backbone.web.ProblemException;
import org.hotline.dispatch.model.Stage;
import org.hotline.dispatch.service.QueueBroadcaster;
import org.hotline.dispatch.service.QueueService;
import org.jboss.resteasy.reactive.RestStreamElementType;

import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** The command room's queue: the street's tickets by stage, and its live changes. */
@Path("/api/dispatch/queue")
@Tag(name = "Command room", description = "The street command room's console")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.DISPATCHER, Roles.SUPERVISOR })
public class QueueResource {

    private final QueueService queue;
    private final QueueBroadcaster broadcaster;
    private final Caller caller;

    public QueueResource(QueueService queue, QueueBroadcaster broadcaster, Caller caller) {
        this.queue = queue;
        this.broadcaster = broadcaster;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({ Roles.DISPATCHER, Roles.SUPERVISOR, Roles.MONITORING })
    @Operation(summary = "The street's queue by stage (NEW, TAKEN, DISPATCHED, ON_SCENE, RESOLVED), most urgent first",
            description = "street defaults to the reader's own (a dispatcher's street, a street supervisor's area); "
                    + "a county supervisor or monitoring without street gets every street. A street outside the "
                    + "reader's area is 403.")
    public List<QueueService.StageGroup> queue(@QueryParam("street") String street,
            @QueryParam("stage") List<String> stages) {
        Set<Stage> wanted = stages(stages);
        return queue.queue(caller.scopeStreet(street), wanted);
    }

    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Live queue changes of the street (Server-Sent Events): each changed ticket's queue item, with the event (type, time) that changed it",
            description = "street defaults to the reader's own; a county supervisor without street gets every "
                    + "street. A street outside the reader's area is 403.")
    public Multi<com.fasterxml.jackson.databind.node.ObjectNode> stream(@QueryParam("street") String street) {
        // ends when the token does: a revoked or expired login must not keep watching
        return broadcaster.stream(caller.scopeStreet(street)).select().first(caller.tokenValidity());
    }

    private static Set<Stage> stages(List<String> names) {
        if (names == null || names.isEmpty()) {
            return QueueService.QUEUE_STAGES;
        }
        Set<Stage> out = EnumSet.noneOf(Stage.class);
        for (String n : names) {
            for (String s : n.split(",")) {
                try {
                    Stage st = Stage.valueOf(s.trim());
                    if (!QueueService.QUEUE_STAGES.contains(st)) {
                        throw new IllegalArgumentException();
                    }
                    out.add(st);
                } catch (IllegalArgumentException e) {
                    throw ProblemException.badRequest("stage", "one of " + QueueService.QUEUE_STAGES);
                }
            }
        }
        return out;
    }
}

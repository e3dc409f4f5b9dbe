package org.hotline.notification.rest;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hotline.backbone.web.ProblemException;
import org.hotline.notification.delivery.ConsoleHub;
import org.hotline.notification.model.DeliveryStatus;
import org.hotline.notification.service.NotificationService;
import org.jboss.resteasy.reactive.RestStreamElementType;

import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

@Path("/api/notifications")
@Tag(name = "Notifications", description = "Who was told what, on which channel, and how delivery went")
public class NotificationResource {

    private final NotificationService notifications;
    private final ConsoleHub console;

    public NotificationResource(NotificationService notifications, ConsoleHub console) {
        this.notifications = notifications;
        this.console = console;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Notifications by ticket (oldest first), or by status and/or street (latest first)",
            description = "At least one of ticketId, status, street. status=DEAD lists what could not be delivered.")
    public List<NotificationView> search(@QueryParam("ticketId") UUID ticketId,
            @Parameter(description = "PENDING, SENT, RETRYING or DEAD") @QueryParam("status") String status,
            @QueryParam("street") String street,
            @Parameter(description = "at most this many (1-1000)") @QueryParam("limit") @DefaultValue("100") int limit) {
        if (ticketId == null && status == null && street == null) {
            throw ProblemException.badRequest("ticketId", "is required unless status or street is given");
        }
        DeliveryStatus s = null;
        if (status != null) {
            try {
                s = DeliveryStatus.valueOf(status.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ProblemException.badRequest("status", "must be one of PENDING, SENT, RETRYING, DEAD");
            }
        }
        if (limit < 1 || limit > 1000) {
            throw ProblemException.badRequest("limit", "must be between 1 and 1000");
        }
        return notifications.search(ticketId, s, street, limit).stream().map(NotificationView::of).toList();
    }

    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Live console notifications of a street (Server-Sent Events), for the command-room screen")
    public Multi<NotificationView> stream(@QueryParam("street") String street) {
        if (street == null || street.isBlank()) {
            throw ProblemException.badRequest("street", "is required");
        }
        return console.stream(street);
    }
}

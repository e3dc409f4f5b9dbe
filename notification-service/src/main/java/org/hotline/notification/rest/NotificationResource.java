package org.hotline.notification.rest;

import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hotline.backbone.web.ProblemException;
import org.hotline.notification.service.NotificationService;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

@Path("/api/notifications")
@Tag(name = "Notifications", description = "Who was told what, on which channel")
@Produces(MediaType.APPLICATION_JSON)
public class NotificationResource {

    private final NotificationService notifications;

    public NotificationResource(NotificationService notifications) {
        this.notifications = notifications;
    }

    @GET
    @Operation(summary = "Notifications about one ticket, oldest first")
    public List<NotificationView> forTicket(@QueryParam("ticketId") UUID ticketId) {
        if (ticketId == null) {
            throw ProblemException.badRequest("ticketId", "is required");
        }
        return notifications.forTicket(ticketId).stream().map(NotificationView::of).toList();
    }
}

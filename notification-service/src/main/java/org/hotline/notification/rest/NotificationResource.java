package org.hotline.notification.rest;

import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hotline.backbone.audit.AuditTrail;
import org.hotline.backbone.security.Caller;
import org.hotline.backbone.security.Roles;
import org.hotline.backbone.web.ProblemException;
import org.hotline.notification.config.NotificationConfig;
import org.hotline.notification.service.ConsoleHub;
import org.hotline.notification.model.DeliveryStatus;
import org.hotline.notification.service.NotificationReads;
import org.jboss.resteasy.reactive.RestStreamElementType;

import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * Delivery history and the live console. Scope (issue #7): a dispatcher reads his street, a
 * supervisor his area, admin everything (delivery troubleshooting), a field member only what was
 * sent to himself. Staff phone numbers, webhook URLs and the one-tap link are shown in full to
 * admin only ({@link NotificationView#forReader}).
 */
@Path("/api/notifications")
@Tag(name = "Notifications", description = "Who was told what, on which channel, and how delivery went")
public class NotificationResource {

    private final NotificationReads notifications;
    private final ConsoleHub console;
    private final Caller caller;
    private final AuditTrail trail;
    private final String ackLinkBase;

    public NotificationResource(NotificationReads notifications, ConsoleHub console, Caller caller, AuditTrail trail,
            NotificationConfig config) {
        this.notifications = notifications;
        this.console = console;
        this.caller = caller;
        this.trail = trail;
        this.ackLinkBase = config.ackLinkBase();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.DISPATCHER, Roles.SUPERVISOR, Roles.ADMIN, Roles.FIELD })
    @Operation(summary = "Notifications by ticket (oldest first), or by status and/or street (latest first)",
            description = "At least one of ticketId, status, street. status=DEAD lists what could not be delivered. "
                    + "A dispatcher sees his street, a supervisor his area (naming a street outside it is 403), "
                    + "a field member what was sent to him; recipients' phone numbers are masked except for admin.")
    public List<NotificationView> search(@QueryParam("ticketId") UUID ticketId,
            @Parameter(description = "PENDING, SENT, RETRYING or DEAD") @QueryParam("status") String status,
            @QueryParam("street") String street,
            @Parameter(description = "at most this many (1-1000)") @QueryParam("limit") @DefaultValue("100") int limit) {
        trail.ticket(ticketId); // a refusal is audited with the ticket asked about
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
        String recipient = null;
        if (!caller.has(Roles.ADMIN) && !caller.has(Roles.SUPERVISOR) && !caller.has(Roles.DISPATCHER)) {
            // a field member: only the messages addressed to him (street names no further limit)
            recipient = ownRecipient();
        } else {
            street = caller.scopeStreet(street);
        }
        String self = recipient;
        return notifications.search(ticketId, s, street, recipient, limit).stream()
                .map(n -> NotificationView.of(n).forReader(caller.has(Roles.ADMIN), n.recipient.equals(self), ackLinkBase))
                .toList();
    }

    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.DISPATCHER, Roles.SUPERVISOR })
    @Operation(summary = "Live console notifications of a street (Server-Sent Events), for the command-room screen",
            description = "street defaults to the reader's own (a dispatcher's street, a supervisor's area; a county "
                    + "supervisor without street gets every street). A street outside the reader's area is 403.")
    public Multi<NotificationView> stream(@QueryParam("street") String street) {
        String scoped = caller.scopeStreet(street);
        // ends when the token does: a revoked or expired login must not keep watching
        return console.stream(scoped).map(v -> v.forReader(false, false, ackLinkBase)).select()
                .first(caller.tokenValidity());
    }

    /** A field member's recipient id, as the rules write it (member:unit/member). */
    private String ownRecipient() {
        String unit = caller.unit().orElse(null);
        String member = caller.member().orElse(null);
        if (unit == null || member == null || !caller.isOfUnit(unit)) {
            throw ProblemException.forbidden("your token names no unit and member");
        }
        return "member:" + unit + "/" + member;
    }
}

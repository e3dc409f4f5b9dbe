package org.hotline.intake.messaging;

import java.time.Instant;

import org.hotline.backbone.security.Mask;
import org.hotline.intake.model.Ticket;

/**
 * Data of {@code ticket.received}. No caller name or full phone: downstream services do not need
 * them; {@code callerPhoneMasked} (138****5678) lets a unit recognise a caller who calls again
 * (docs/schemas/ticket.received.schema.json).
 */
public record TicketReceived(String ticketId, String source, String category, String complexity, String street,
        String grid, String address, Double latitude, Double longitude, String upstreamRef, Instant reportedAt,
        Instant receivedAt, String callerPhoneMasked) implements TicketPayload {

    public static TicketReceived of(Ticket t) {
        return new TicketReceived(t.id.toString(), t.source.name(), t.category, t.complexity.name(), t.street,
                t.grid, t.address, t.latitude, t.longitude, t.upstreamRef, t.reportedAt, t.receivedAt,
                Mask.phone(t.callerPhone));
    }
}

package org.hotline.intake.messaging;

import java.time.Instant;

/**
 * Data of {@code ticket.received}. No caller name or full phone: downstream services do not need
 * them; {@code callerPhoneMasked} (138****5678) lets a unit recognise a caller who calls again
 * (docs/schemas/ticket.received.schema.json).
 */
public record TicketReceived(String ticketId, String source, String category, String complexity, String street,
        String grid, String address, Double latitude, Double longitude, String upstreamRef, Instant reportedAt,
        Instant receivedAt, String callerPhoneMasked) {
}

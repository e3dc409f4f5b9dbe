package org.hotline.intake.messaging;

import java.time.Instant;

/** Data of {@code ticket.cancelled} (docs/schemas/ticket.cancelled.schema.json). */
public record TicketCancelled(String ticketId, String reason, Instant cancelledAt) implements TicketPayload {
}

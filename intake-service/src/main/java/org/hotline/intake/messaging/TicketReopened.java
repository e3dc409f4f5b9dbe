package org.hotline.intake.messaging;

import java.time.Instant;

/** Data of {@code ticket.reopened} (docs/schemas/ticket.reopened.schema.json): no caller data. */
public record TicketReopened(String ticketId, String reason, Instant reopenedAt) implements TicketPayload {
}

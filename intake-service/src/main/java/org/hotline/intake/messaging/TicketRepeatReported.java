package org.hotline.intake.messaging;

import java.time.Instant;

/**
 * Data of {@code ticket.repeat-reported} (docs/schemas/ticket.repeat-reported.schema.json): a new
 * report was recorded as a repeat (重复件) of the open ticket {@code ticketId}. No caller data.
 */
public record TicketRepeatReported(String ticketId, String repeatId, int repeatCount, String source,
        String matchedBy, String category, String street, Instant reportedAt, String upstreamRef)
        implements TicketPayload {
}

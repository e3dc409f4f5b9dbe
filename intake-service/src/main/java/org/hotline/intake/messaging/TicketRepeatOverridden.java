package org.hotline.intake.messaging;

/**
 * Data of {@code ticket.repeat-overridden} (docs/schemas/ticket.repeat-overridden.schema.json):
 * an operator ruled the report {@code repeatId} not a repeat of {@code ticketId}; a
 * {@code ticket.received} for the new ticket (id = repeatId) follows.
 */
public record TicketRepeatOverridden(String ticketId, String repeatId, int repeatCount, String overriddenBy,
        String reason) implements TicketPayload {
}

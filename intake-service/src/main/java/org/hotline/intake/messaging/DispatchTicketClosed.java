package org.hotline.intake.messaging;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What intake reads of dispatch's {@code ticket.closed} (docs/schemas/ticket.closed.schema.json):
 * which ticket, and when ({@code occurredAt}; the event's time when absent). As text, checked
 * where they are used, so that a bad value is poison with the reason.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DispatchTicketClosed(String ticketId, String occurredAt) {
}

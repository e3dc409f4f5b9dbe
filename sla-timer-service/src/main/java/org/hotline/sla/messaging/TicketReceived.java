package org.hotline.sla.messaging;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** What the SLA service reads of {@code ticket.received} (docs/schemas/ticket.received.schema.json). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TicketReceived(UUID ticketId, String source, String category, String complexity, String street,
        Instant reportedAt, Instant receivedAt) {
}

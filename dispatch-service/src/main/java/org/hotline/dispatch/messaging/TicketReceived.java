package org.hotline.dispatch.messaging;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** What dispatch reads of {@code ticket.received} (docs/schemas/ticket.received.schema.json). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TicketReceived(UUID ticketId, String source, String category, String complexity, String street,
        String grid, String address, Double latitude, Double longitude, Instant reportedAt, Instant receivedAt,
        String callerPhoneMasked) {
}

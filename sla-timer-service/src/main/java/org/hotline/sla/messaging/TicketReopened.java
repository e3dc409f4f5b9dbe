package org.hotline.sla.messaging;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** What the SLA service reads of {@code ticket.reopened} (docs/schemas/ticket.reopened.schema.json). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TicketReopened(UUID ticketId, Instant reopenedAt) {
}

package org.hotline.dispatch.messaging;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** What dispatch reads of {@code ticket.cancelled} and {@code ticket.reopened}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TicketChange(UUID ticketId, String reason, Instant cancelledAt, Instant reopenedAt) {
}

package org.hotline.sla.messaging;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** What the SLA service reads of ticket.repeat-reported and ticket.repeat-overridden. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TicketRepeat(UUID ticketId, UUID repeatId, Instant reportedAt) {
}

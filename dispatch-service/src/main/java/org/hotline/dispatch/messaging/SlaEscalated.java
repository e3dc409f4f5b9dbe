package org.hotline.dispatch.messaging;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** What dispatch reads of {@code sla.escalated} (docs/schemas/sla.escalated.schema.json). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SlaEscalated(UUID ticketId, String stage, int round, int level, String recipient, String action,
        String street, String category) {
}

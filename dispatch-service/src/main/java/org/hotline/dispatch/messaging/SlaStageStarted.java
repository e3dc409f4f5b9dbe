package org.hotline.dispatch.messaging;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** What dispatch reads of {@code sla.stage-started} (docs/schemas/sla.stage-started.schema.json). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SlaStageStarted(UUID ticketId, String stage, int round, Instant deadline) {
}

package org.hotline.sla.messaging;

import java.time.Instant;
import java.util.UUID;

import org.hotline.sla.model.StageName;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What the SLA service reads of any dispatch event. The contract is generic: an event whose data
 * names {@code stageEnded} ends that stage at {@code occurredAt} (or the event's time); dispatch
 * decides when a stage ends (e.g. dispatched and caller contacted), the SLA service only keeps time.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DispatchEventData(UUID ticketId, String role, String unitType, StageName stageEnded,
        Instant occurredAt, StageName stage, Instant newDeadline, String approvedBy, String reason) {
}

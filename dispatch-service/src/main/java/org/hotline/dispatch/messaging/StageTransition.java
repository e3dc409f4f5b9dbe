package org.hotline.dispatch.messaging;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Data of a console transition ({@code ticket.taken}, {@code caller.contacted}): who acted,
 * when, and the SLA stage it ended, if any (docs/events.md, "Stage-ending events").
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StageTransition(String ticketId, String actor, Instant occurredAt, String stageEnded) {
}

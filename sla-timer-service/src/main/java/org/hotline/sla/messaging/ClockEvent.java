package org.hotline.sla.messaging;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Data of the SLA events ({@code sla.warning}, {@code sla.breached}, {@code sla.escalated},
 * {@code sla.stage-met}, {@code sla.stage-started}); each type's schema in docs/schemas lists which fields it carries.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClockEvent(
        String ticketId,
        String stage,
        /* 0, or 1, 2... when a reopened ticket runs the stage again */
        int round,
        String policy,
        int policyVersion,
        String street,
        String category,
        String unitType,
        Instant deadline,
        /* timers: when it was due, when it fired, how late, and whether that counts as late */
        Instant dueAt,
        Instant firedAt,
        Long latenessMs,
        Boolean late,
        /* escalations */
        Integer level,
        String recipient,
        String action,
        /* stage met */
        Instant startedAt,
        Instant metAt,
        Boolean onTime,
        Long durationMs,
        /* stage started: the warning point */
        Instant warnAt) {
}

package org.hotline.intake.service;

import java.time.Duration;

import org.hotline.backbone.web.ProblemException;
import org.hotline.intake.model.CreateTicketRequest;
import org.hotline.intake.model.ReceiveResult;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The one door every report comes through (operator REST, 110 hand-over, 12345 platform): the
 * request's shape checked against its constraints, then {@link TicketService#receive}, timed.
 */
@ApplicationScoped
public class TicketIntake {

    private final TicketService tickets;
    private final ConstraintCheck constraints;
    private final IntakeMetrics metrics;

    public TicketIntake(TicketService tickets, ConstraintCheck constraints, IntakeMetrics metrics) {
        this.tickets = tickets;
        this.constraints = constraints;
        this.metrics = metrics;
    }

    /** @param channel rest | upstream-110 | upstream-12345 (the latency metric's tag) */
    public ReceiveResult receive(CreateTicketRequest request, String idempotencyKey, String channel) {
        long start = System.nanoTime();
        try {
            if (request == null) {
                throw new ProblemException(400, "Invalid request", "a request body is required");
            }
            return tickets.receive(constraints.valid(request), idempotencyKey);
        } finally {
            metrics.createLatency(channel, Duration.ofNanos(System.nanoTime() - start));
        }
    }
}

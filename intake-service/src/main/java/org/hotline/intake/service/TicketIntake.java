package org.hotline.intake.service;

import java.time.Duration;

import org.hotline.backbone.web.RequestBodies;
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
    private final RequestBodies bodies;
    private final IntakeMetrics metrics;

    public TicketIntake(TicketService tickets, RequestBodies bodies, IntakeMetrics metrics) {
        this.tickets = tickets;
        this.bodies = bodies;
        this.metrics = metrics;
    }

    /** @param channel rest | upstream-110 | upstream-12345 (the latency metric's tag) */
    public ReceiveResult receive(CreateTicketRequest request, String idempotencyKey, String channel) {
        long start = System.nanoTime();
        try {
            if (request == null) {
                throw new ProblemException(400, "Invalid request", "a request body is required");
            }
            return tickets.receive(bodies.valid(request), idempotencyKey);
        } finally {
            metrics.createLatency(channel, Duration.ofNanos(System.nanoTime() - start));
        }
    }
}

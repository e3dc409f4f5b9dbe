package org.hotline.intake.service;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

import org.hotline.backbone.web.Problem;
import org.hotline.backbone.web.ProblemException;
import org.hotline.intake.rest.CreateTicketRequest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

/**
 * The one door every report comes through (operator REST, 110 hand-over, 12345 platform): the
 * request's shape checked against its constraints, then {@link TicketService#receive}, timed.
 */
@ApplicationScoped
public class TicketIntake {

    private final TicketService tickets;
    private final Validator validator;
    private final IntakeMetrics metrics;

    public TicketIntake(TicketService tickets, Validator validator, IntakeMetrics metrics) {
        this.tickets = tickets;
        this.validator = validator;
        this.metrics = metrics;
    }

    /** @param channel rest | upstream-110 | upstream-12345 (the latency metric's tag) */
    public ReceiveResult receive(CreateTicketRequest request, String idempotencyKey, String channel) {
        long start = System.nanoTime();
        try {
            if (request == null) {
                throw new ProblemException(400, "Invalid request", "a request body is required");
            }
            Set<ConstraintViolation<CreateTicketRequest>> violations = validator.validate(request);
            if (!violations.isEmpty()) {
                List<Problem.FieldError> errors = violations.stream()
                        .map(v -> new Problem.FieldError(v.getPropertyPath().toString(), v.getMessage()))
                        .sorted(Comparator.comparing(Problem.FieldError::field)).toList();
                String detail = String.join("; ", errors.stream().map(e -> e.field() + ": " + e.reason()).toList());
                throw new ProblemException(400, "Invalid request", detail, errors);
            }
            return tickets.receive(request, idempotencyKey);
        } finally {
            metrics.createLatency(channel, Duration.ofNanos(System.nanoTime() - start));
        }
    }
}

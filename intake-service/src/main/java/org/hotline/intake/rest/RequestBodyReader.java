package org.hotline.intake.rest;

import java.util.List;

import org.hotline.backbone.web.Problem;
import org.hotline.backbone.web.ProblemException;
import org.hotline.intake.service.ConstraintCheck;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Every request body, read one way: taken as text, mapped onto its record by the application's
 * mapper (unknown fields refused, no NUL in text: backbone's settings), then checked against the
 * record's constraints. Read in the resource rather than by the framework, so that malformed JSON
 * is backbone's problem+json naming the reason, and so that the rate limit refuses a create before
 * its body is looked at.
 */
@ApplicationScoped
public class RequestBodyReader {

    private final ObjectMapper json;
    private final ConstraintCheck constraints;

    public RequestBodyReader(ObjectMapper json, ConstraintCheck constraints) {
        this.json = json;
        this.constraints = constraints;
    }

    /** A body that must be there: mapped and checked; none (or JSON {@code null}) is a 400 naming {@code request}. */
    public <T> T read(String body, Class<T> type) throws JsonProcessingException {
        T value = mapped(body, type);
        if (value == null) {
            throw new ProblemException(400, "Invalid request", "request: must not be null",
                    List.of(new Problem.FieldError("request", "must not be null")));
        }
        return constraints.valid(value);
    }

    /**
     * The body mapped, not yet checked; null if none was sent. For a report, whose checks (and the
     * answer to a missing one) are the intake door's, the same for every channel (TicketIntake).
     */
    public <T> T mapped(String body, Class<T> type) throws JsonProcessingException {
        return body == null || body.isBlank() ? null : json.readValue(body, type);
    }
}

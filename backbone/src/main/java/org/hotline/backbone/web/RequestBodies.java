package org.hotline.backbone.web;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

/**
 * A request body read one way in every service: taken as text, mapped onto its record by the
 * application's mapper (unknown fields refused, no NUL in text: {@link StrictJson}, {@link NulText}),
 * then checked against the record's constraints. Resources read the text themselves where the
 * framework's own reading falls short: a body that may be left out (curl and phones post nothing,
 * with any or no content type), malformed JSON that must be named in problem+json, or a check
 * (a rate limit) that must refuse a request before its body is looked at.
 */
@ApplicationScoped
public class RequestBodies {

    private final ObjectMapper json;
    private final Validator validator;

    public RequestBodies(ObjectMapper json, Validator validator) {
        this.json = json;
        this.validator = validator;
    }

    /** A body that must be there: mapped and checked; none (or JSON {@code null}) is a 400 naming {@code request}. */
    public <T> T required(String body, Class<T> type) throws JsonProcessingException {
        T value = mapped(body, type);
        if (value == null) {
            throw new ProblemException(400, "Invalid request", "request: must not be null",
                    List.of(new Problem.FieldError("request", "must not be null")));
        }
        return valid(value);
    }

    /** A body that may be left out: mapped and checked; none (or JSON {@code null}) is {@code empty}. */
    public <T> T optional(String body, Class<T> type, T empty) throws JsonProcessingException {
        T value = mapped(body, type);
        return valid(value == null ? empty : value);
    }

    /** The body mapped, not yet checked; null if none was sent (for checks that are a service's own). */
    public <T> T mapped(String body, Class<T> type) throws JsonProcessingException {
        return body == null || body.isBlank() ? null : json.readValue(body, type);
    }

    /**
     * The record checked against its constraints: a 400 problem naming every field that fails and
     * why, in field order (the answer backbone's mapper gives for the framework's own checks).
     */
    public <T> T valid(T value) {
        Set<ConstraintViolation<T>> violations = validator.validate(value);
        if (!violations.isEmpty()) {
            List<Problem.FieldError> errors = violations.stream()
                    .map(v -> new Problem.FieldError(v.getPropertyPath().toString(), v.getMessage()))
                    .sorted(Comparator.comparing(Problem.FieldError::field)).toList();
            String detail = String.join("; ", errors.stream().map(e -> e.field() + ": " + e.reason()).toList());
            throw new ProblemException(400, "Invalid request", detail, errors);
        }
        return value;
    }
}

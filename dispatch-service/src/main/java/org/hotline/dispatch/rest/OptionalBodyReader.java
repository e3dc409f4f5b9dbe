package org.hotline.dispatch.rest;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

import org.hotline.backbone.web.Problem;
import org.hotline.backbone.web.ProblemException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

/**
 * Request bodies that are optional (curl and phones may post nothing, with any or no content
 * type), read as text, then mapped and validated like any other body. Unknown fields are refused
 * by the application's mapper (backbone's default): a client still naming {@code "dispatcher"}
 * or {@code "supervisor"}, which the token now carries, gets a 400 saying so.
 */
@ApplicationScoped
public class OptionalBodyReader {

    private final ObjectMapper json;
    private final Validator validator;

    public OptionalBodyReader(ObjectMapper json, Validator validator) {
        this.json = json;
        this.validator = validator;
    }

    /** The body mapped onto {@code type} and validated; no body (or JSON {@code null}) is {@code empty}. */
    public <T> T read(String body, Class<T> type, T empty) throws JsonProcessingException {
        T value = body == null || body.isBlank() ? null
                : json.readValue(body, type);
        if (value == null) {
            value = empty;
        }
        Set<ConstraintViolation<T>> violations = validator.validate(value);
        if (!violations.isEmpty()) {
            List<Problem.FieldError> errors = violations.stream()
                    .map(v -> new Problem.FieldError(v.getPropertyPath().toString(), v.getMessage()))
                    .sorted(Comparator.comparing(Problem.FieldError::field)).toList();
            throw new ProblemException(400, "Invalid request", errors.stream().map(e -> e.field() + ": " + e.reason())
                    .reduce((a, b) -> a + "; " + b).orElse("invalid request"), errors);
        }
        return value;
    }
}

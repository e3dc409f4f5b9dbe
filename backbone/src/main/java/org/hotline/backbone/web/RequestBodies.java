package org.hotline.backbone.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;

/**
 * Every request body, in every service, is read here and nowhere else: resources take the body as
 * text ({@code String body}, with an OpenAPI {@code @RequestBody} naming the record so the document
 * still shows its schema), never as a typed {@code @Valid} parameter. The text is mapped onto its
 * record by the application's mapper (unknown fields refused, no NUL in text: {@link StrictJson},
 * {@link NulText}), then checked against the record's constraints. One way, because the framework's
 * own reading falls short in three places: malformed JSON must be answered the same everywhere (400
 * "Invalid request body" naming the reason); a body may be left out (curl and phones post nothing,
 * with any or no content type); and a check (scope, a rate limit) may have to refuse a request
 * before its body is looked at.
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
            throw missing();
        }
        return valid(value);
    }

    /**
     * A body that must be a JSON array of records: mapped, then every element checked, a failing field
     * named by its element ({@code [2].phone}, the form the services' own list checks use); a
     * {@code null} element is refused ({@code [2]}), none (or JSON {@code null}) is a 400 naming
     * {@code request}.
     */
    public <T> List<T> requiredList(String body, Class<T> element) throws JsonProcessingException {
        List<T> values = body == null || body.isBlank() ? null
                : json.readValue(body, json.getTypeFactory().constructCollectionType(List.class, element));
        if (values == null) {
            throw missing();
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            T value = values.get(i);
            if (value == null) {
                errors.add(new Problem.FieldError("[" + i + "]", "must not be null"));
            } else {
                errors.addAll(violations(value, "[" + i + "]."));
            }
        }
        refuse(errors); // element by element, in the order sent
        return values;
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
        refuse(violations(value, ""));
        return value;
    }

    private <T> List<Problem.FieldError> violations(T value, String prefix) {
        return validator.validate(value).stream()
                .map(v -> new Problem.FieldError(prefix + v.getPropertyPath(), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field)).toList();
    }

    private static void refuse(List<Problem.FieldError> errors) {
        if (!errors.isEmpty()) {
            String detail = String.join("; ", errors.stream().map(e -> e.field() + ": " + e.reason()).toList());
            throw new ProblemException(400, "Invalid request", detail, errors);
        }
    }

    private static ProblemException missing() {
        return new ProblemException(400, "Invalid request", "request: must not be null",
                List.of(new Problem.FieldError("request", "must not be null")));
    }
}

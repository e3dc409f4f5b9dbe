package org.hotline.intake.service;

import java.util.Comparator;
import java.util.List;
import java.util.Set;

import org.hotline.backbone.web.Problem;
import org.hotline.backbone.web.ProblemException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

/**
 * A request record checked against its constraints: a 400 problem naming every field that fails
 * and why, in field order (the answer backbone's mapper gives for the framework's own checks).
 */
@ApplicationScoped
public class ConstraintCheck {

    private final Validator validator;

    public ConstraintCheck(Validator validator) {
        this.validator = validator;
    }

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

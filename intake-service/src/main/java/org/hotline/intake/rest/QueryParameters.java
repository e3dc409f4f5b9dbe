package org.hotline.intake.rest;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

import org.hotline.backbone.web.ProblemException;

/** Query parameters read as text and parsed here, so that a bad value is a 400 naming the parameter. */
final class QueryParameters {

    private QueryParameters() {
    }

    static String text(String name, String value) {
        if (value == null) {
            return null;
        }
        if (value.isBlank() || value.length() > 64) {
            throw ProblemException.badRequest(name, "must be 1 to 64 characters");
        }
        return value.strip();
    }

    static Instant instant(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(name, "must be an ISO-8601 instant, e.g. 2026-11-23T08:00:00Z");
        }
    }

    static int integer(String name, String value, int dflt, int min, int max) {
        if (value == null) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(value.strip());
            if (v < min || v > max) {
                throw ProblemException.badRequest(name, "must be between " + min + " and " + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest(name, "must be an integer");
        }
    }

    static <E extends Enum<E>> E enumOf(String name, String value, Class<E> type) {
        if (value == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.strip());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(name, "must be one of " + Arrays.toString(type.getEnumConstants()));
        }
    }
}

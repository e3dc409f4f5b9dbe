package org.hotline.backbone.web;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * Every error leaves as RFC 9457 problem+json naming the field and the reason; nothing internal
 * (stack traces, class names) leaks. Written here rather than taken from quarkus-resteasy-problem,
 * whose only release on Maven Central targets Quarkus 3.21.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        Response.ResponseBuilder r = Response.status(e.status()).type(Problem.MEDIA_TYPE)
                .entity(new Problem(null, e.title(), e.status(), e.getMessage(), path(uri), e.errors()));
        e.headers().forEach(r::header);
        return r.build();
    }

    /** The service cannot take the request now (it is stopping, say): 503, try again shortly. */
    @ServerExceptionMapper
    public Response later(org.hotline.backbone.inbox.RetryLaterException e, UriInfo uri) {
        return Response.status(503).type(Problem.MEDIA_TYPE).header("Retry-After", "1")
                .entity(new Problem(null, "Service unavailable", 503, e.getMessage(), path(uri), List.of())).build();
    }

    /** No token, or one that fails verification: 401 with the Bearer challenge (RFC 6750). */
    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class })
    public Response unauthenticated(RuntimeException e, UriInfo uri) {
        return Response.status(401).type(Problem.MEDIA_TYPE).header("WWW-Authenticate", "Bearer")
                .entity(new Problem(null, "Unauthorized", 401, "a valid bearer token is required", path(uri), List.of()))
                .build();
    }

    /** A valid token whose roles this endpoint does not admit. */
    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return respond(new Problem(null, "Forbidden", 403, "your role may not do this", path(uri), List.of()));
    }

    @ServerExceptionMapper
    public Response violations(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(field(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field)).toList();
        String detail = errors.stream().map(f -> f.field() + ": " + f.reason()).reduce((a, b) -> a + "; " + b)
                .orElse("invalid request");
        return respond(new Problem(null, "Invalid request", 400, detail, path(uri), errors));
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        String field = e instanceof JsonMappingException m ? jsonPath(m) : null;
        String reason;
        if (e instanceof NulText.NulException) {
            reason = NulText.REASON;
        } else if (e instanceof UnrecognizedPropertyException u) {
            field = u.getPropertyName();
            reason = "unknown field";
        } else if (e instanceof InvalidFormatException f) {
            reason = "value " + f.getValue() + " is not a valid " + describe(f.getTargetType());
        } else if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            reason = "must be " + jsonType(m.getTargetType());
        } else if (e instanceof JsonMappingException && e.getCause() instanceof StreamReadException broken) {
            // JSON broken inside a record's field: Jackson wraps the parser's error with the field's path;
            // it is the same malformed JSON as at the top level, named the same way
            field = null;
            reason = "malformed JSON: " + broken.getOriginalMessage();
        } else if (e instanceof JsonMappingException) {
            reason = "wrong type or shape";
        } else {
            reason = "malformed JSON: " + e.getOriginalMessage();
        }
        List<Problem.FieldError> errors = field == null || field.isEmpty() ? List.of()
                : List.of(new Problem.FieldError(field, reason));
        String detail = field == null || field.isEmpty() ? reason : field + ": " + reason;
        return respond(new Problem(null, "Invalid request body", 400, detail, path(uri), errors));
    }

    /** Quarkus ships a mapper for this subtype; a more specific one of ours wins over it. */
    @ServerExceptionMapper
    public Response mismatch(MismatchedInputException e, UriInfo uri) {
        return json(e, uri);
    }

    /** Ours, so that no Jackson mapper of Quarkus's answers for it. */
    @ServerExceptionMapper
    public Response nul(NulText.NulException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        String title = Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        return respond(new Problem(null, title, status, e.getMessage(), path(uri), List.of()));
    }

    /**
     * JAX-RS answers a path or query parameter that does not convert (an id that is no UUID, a
     * malformed date) with a bare 404, as if the resource did not exist. It is bad input: 400
     * naming the parameter, found by converting the request's values against the method's
     * parameters. A 404 without such a cause (no route, no such ticket) stays 404.
     */
    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri, ResourceInfo resource) {
        if (e.getCause() == null || resource == null || resource.getResourceMethod() == null) {
            return web(e, uri);
        }
        Problem.FieldError bad = badParameter(resource.getResourceMethod(), uri);
        List<Problem.FieldError> errors = bad == null ? List.of() : List.of(bad);
        String detail = bad == null ? "a path or query parameter has a value of the wrong form"
                : bad.field() + ": " + bad.reason();
        return respond(new Problem(null, "Invalid request", 400, detail, path(uri), errors));
    }

    private static Problem.FieldError badParameter(Method method, UriInfo uri) {
        Class<?>[] types = method.getParameterTypes();
        Annotation[][] annotations = method.getParameterAnnotations();
        for (int i = 0; i < types.length; i++) {
            for (Annotation a : annotations[i]) {
                List<String> values = a instanceof PathParam p ? uri.getPathParameters().get(p.value())
                        : a instanceof QueryParam q ? uri.getQueryParameters().get(q.value()) : null;
                Function<String, ?> parse = PARAMETER_PARSERS.get(types[i]);
                if (values == null || parse == null) {
                    continue;
                }
                String name = a instanceof PathParam p ? p.value() : ((QueryParam) a).value();
                for (String value : values) {
                    try {
                        parse.apply(value);
                    } catch (RuntimeException notThisType) {
                        return new Problem.FieldError(name, "value " + value + " is not a valid " + describe(types[i]));
                    }
                }
            }
        }
        return null;
    }

    /** The parameter types our resources take besides String, as JAX-RS converts them. */
    private static final java.util.Map<Class<?>, Function<String, ?>> PARAMETER_PARSERS = java.util.Map.of(
            UUID.class, UUID::fromString,
            Instant.class, Instant::parse,
            LocalDate.class, LocalDate::parse,
            Integer.class, Integer::valueOf,
            int.class, Integer::valueOf,
            Long.class, Long::valueOf,
            long.class, Long::valueOf);

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(Exception e, UriInfo uri) {
        if (NulText.refusedByTheDatabase(e)) { // a NUL that came in some way NulText does not look at
            return respond(new Problem(null, "Invalid request", 400, "text " + NulText.REASON, path(uri), List.of()));
        }
        LOG.error("unexpected error on " + path(uri), e);
        return respond(new Problem(null, "Internal error", 500, "the request could not be completed", path(uri),
                List.of()));
    }

    private static Response respond(Problem p) {
        return Response.status(p.status()).type(Problem.MEDIA_TYPE).entity(p).build();
    }

    /** "create.request.caller.phone" → "caller.phone": drop the method and parameter names. */
    private static String field(ConstraintViolation<?> v) {
        String path = v.getPropertyPath().toString();
        String[] parts = path.split("\\.", 3);
        return parts.length == 3 ? parts[2] : parts[parts.length - 1];
    }

    private static String jsonPath(JsonMappingException m) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : m.getPath()) {
            if (r.getFieldName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** The JSON a field expects, in JSON's words rather than Java's. */
    private static String jsonType(Class<?> type) {
        if (type == String.class || type.isEnum() || java.time.temporal.Temporal.class.isAssignableFrom(type)
                || type == java.util.UUID.class) {
            return type.isEnum() ? "one of " + java.util.Arrays.toString(type.getEnumConstants())
                    : type == String.class ? "a string" : "a string in ISO-8601 / UUID form";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static String describe(Class<?> type) {
        if (type.isEnum()) {
            return type.getSimpleName() + " (one of " + java.util.Arrays.toString(type.getEnumConstants()) + ")";
        }
        return type.getSimpleName();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : "/" + uri.getPath().replaceFirst("^/", "");
    }
}

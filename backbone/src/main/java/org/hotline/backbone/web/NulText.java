package org.hotline.backbone.web;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;

import io.quarkus.jackson.ObjectMapperCustomizer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * PostgreSQL cannot store U+0000 (NUL) in text: a NUL reaching an insert or a query failed there
 * and answered 500. It is refused at the door instead, for every service: a JSON string holding one
 * is a 400 naming the field (the application's mapper, so the upstream feeds' readers, which copy it,
 * dead-letter such a record with the same reason), and so is a query or path parameter or a header.
 */
@Singleton
public class NulText implements ObjectMapperCustomizer {

    public static final String REASON = "must not contain U+0000 (the NUL character)";

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.registerModule(new SimpleModule("no-nul-text").addDeserializer(String.class, new NoNulString()));
    }

    /**
     * A JSON string with a NUL in it; Jackson adds the field's path as it unwinds. A mismatched
     * input, because Quarkus's body reader lets those through to our mappers (it turns other
     * mapping errors into a bare 400 that names no field).
     */
    public static class NulException extends MismatchedInputException {
        private static final long serialVersionUID = 1L;

        NulException(JsonParser parser) {
            super(parser, REASON, String.class);
        }
    }

    static final class NoNulString extends StdScalarDeserializer<String> {
        private static final long serialVersionUID = 1L;

        NoNulString() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String s = StringDeserializer.instance.deserialize(p, ctxt);
            if (s != null && s.indexOf('\0') >= 0) {
                throw new NulException(p);
            }
            return s;
        }

        @Override
        public boolean isCachable() {
            return true;
        }
    }

    /**
     * The request's query parameter, path or header holding a NUL, by name ({@code "path"} for the
     * path), or null when there is none. A value that does not decode is left to the resource.
     */
    static String offendingPart(String path, String query, Iterable<Map.Entry<String, String>> headers) {
        if (query != null && query.contains("%00") || query != null && query.indexOf('\0') >= 0) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                if (decoded(pair).indexOf('\0') >= 0) {
                    String plain = decoded(name);
                    return plain.indexOf('\0') >= 0 ? "query" : plain;
                }
            }
        }
        if (path != null && (path.contains("%00") || path.indexOf('\0') >= 0)) {
            return "path";
        }
        for (Map.Entry<String, String> h : headers) {
            if (h.getValue() != null && h.getValue().indexOf('\0') >= 0) {
                return h.getKey();
            }
        }
        return null;
    }

    /** PostgreSQL's own refusal of a NUL (SQLSTATE 22021), anywhere in the causes or suppressed ones. */
    public static boolean refusedByTheDatabase(Throwable e) {
        return refusedByTheDatabase(e, 0);
    }

    private static boolean refusedByTheDatabase(Throwable t, int depth) {
        if (t == null || depth > 16) {
            return false;
        }
        if (t instanceof java.sql.SQLException sql && "22021".equals(sql.getSQLState())
                && String.valueOf(sql.getMessage()).contains("0x00")) {
            return true;
        }
        for (Throwable s : t.getSuppressed()) {
            if (refusedByTheDatabase(s, depth + 1)) {
                return true;
            }
        }
        return t.getCause() != t && refusedByTheDatabase(t.getCause(), depth + 1);
    }

    private static String decoded(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return s.replace("%00", "\0");
        }
    }

    /** The route-level half: query, path and headers are checked before any resource runs. */
    @ApplicationScoped
    public static class Filter {
        void install(@Observes Router router) {
            router.route().order(Integer.MIN_VALUE + 1).handler(ctx -> {
                String part = offendingPart(ctx.request().path(), ctx.request().query(), ctx.request().headers());
                if (part == null) {
                    ctx.next();
                    return;
                }
                String name = part.replaceAll("[^\\p{Alnum}_.\\-]", "");
                ctx.response().setStatusCode(400).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .end("{\"title\":\"Invalid request\",\"status\":400,\"detail\":\"" + name + ": " + REASON
                                + "\",\"instance\":\"" + ctx.request().path().replaceAll("[\"\\\\\\x00-\\x1f]|%00", "")
                                + "\",\"errors\":[{\"field\":\"" + name + "\",\"reason\":\"" + REASON + "\"}]}");
            });
        }
    }
}

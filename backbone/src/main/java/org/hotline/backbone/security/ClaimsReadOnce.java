package org.hotline.backbone.security;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * A verified token whose claims are each read once from the token behind it, then from a map.
 * smallrye-jwt looks every claim name up in the {@code Claims} enum and takes a thrown and caught
 * {@code IllegalArgumentException} as "not a standard claim", so each read of one of our own
 * claims ({@code street}, {@code area}, {@code unit}, {@code member}) cost an exception with its
 * stack trace: several per request (every scope check and every masking decision reads one), on
 * a token {@link VerifiedTokens} serves for minutes. Claims never change within a token.
 */
final class ClaimsReadOnce implements JsonWebToken {

    /** A claim the token does not hold (a map cannot hold null). */
    private static final Object ABSENT = new Object();

    private final JsonWebToken token;
    private final ConcurrentHashMap<String, Object> claims = new ConcurrentHashMap<>();

    ClaimsReadOnce(JsonWebToken token) {
        this.token = token;
    }

    @Override
    public String getName() {
        return token.getName();
    }

    @Override
    public Set<String> getClaimNames() {
        return token.getClaimNames();
    }

    @Override
    public Set<String> getAudience() {
        return token.getAudience();
    }

    @Override
    public Set<String> getGroups() {
        return token.getGroups();
    }

    @SuppressWarnings("unchecked")
    @Override
    public <T> T getClaim(String name) {
        Object value = claims.get(name);
        if (value == null) {
            Object read = token.getClaim(name);
            if (read instanceof Set<?>) {
                return (T) read; // groups, aud: smallrye gives each caller a set of its own (mutable), so do we
            }
            value = read == null ? ABSENT : read;
            claims.putIfAbsent(name, value);
        }
        return value == ABSENT ? null : (T) value;
    }

    @Override
    public String toString() {
        return token.toString();
    }
}

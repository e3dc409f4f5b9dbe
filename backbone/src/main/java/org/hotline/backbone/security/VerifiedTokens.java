package org.hotline.backbone.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.smallrye.jwt.auth.principal.ParseException;

/**
 * The callers' tokens already verified, by their exact text: a console or an operator sends the
 * same bearer token with every request for hours, and checking its RSA signature again each time
 * was intake's largest single cost under load (issue 18: {@code BigInteger} arithmetic, 7.5 % of its
 * CPU samples). A remembered token is served only before its own {@code exp} by this clock (the
 * verifier's leeway past {@code exp} is left to the verifier, which decides again) and for at most
 * {@code ttl}; a different text (another signature, a changed claim) is a different key, and a
 * token the verifier refused is never remembered.
 */
public final class VerifiedTokens {

    /** The verifier behind the cache (smallrye-jwt's parser). */
    public interface Verifier {
        JsonWebToken verify(String token) throws ParseException;
    }

    private record Verified(JsonWebToken jwt, Instant until) {
    }

    private final Cache<String, Verified> verified;
    private final Duration ttl;
    private final Clock clock;

    /** {@code maxSize} 0: nothing is remembered. */
    public VerifiedTokens(int maxSize, Duration ttl, Clock clock) {
        this.verified = maxSize <= 0 ? null : Caffeine.newBuilder().maximumSize(maxSize).expireAfterWrite(ttl).build();
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The token verified, its claims read once each ({@link ClaimsReadOnce}). */
    public JsonWebToken parse(String token, Verifier verifier) throws ParseException {
        if (verified == null) {
            return new ClaimsReadOnce(verifier.verify(token));
        }
        Instant now = clock.instant();
        Verified known = verified.getIfPresent(token);
        if (known != null && now.isBefore(known.until())) {
            return known.jwt();
        }
        JsonWebToken jwt = new ClaimsReadOnce(verifier.verify(token));
        Instant until = Instant.ofEpochSecond(jwt.getExpirationTime());
        Instant latest = now.plus(ttl);
        verified.put(token, new Verified(jwt, until.isBefore(latest) ? until : latest));
        return jwt;
    }
}

package org.hotline.backbone.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.hotline.backbone.testing.MovableClock;
import org.junit.jupiter.api.Test;

import io.smallrye.jwt.auth.principal.ParseException;

/** The verified-token cache in front of the JWT verifier: what it may serve, and when the verifier decides again. */
class VerifiedTokensTest {

    final MovableClock clock = new MovableClock();
    final List<String> verifications = new ArrayList<>();
    final List<String> claimReads = new ArrayList<>();

    /** The verifier: "bad…" tokens are refused, the others expire at the epoch second after "@". */
    JsonWebToken verify(String token) throws ParseException {
        verifications.add(token);
        if (token.startsWith("bad")) {
            throw new ParseException("signature does not verify");
        }
        long exp = Long.parseLong(token.substring(token.indexOf('@') + 1));
        return new JsonWebToken() {
            @Override
            public String getName() {
                return token;
            }

            @Override
            public Set<String> getClaimNames() {
                return Set.of("exp", "street");
            }

            @SuppressWarnings("unchecked")
            @Override
            public <T> T getClaim(String name) {
                claimReads.add(name);
                return "exp".equals(name) ? (T) Long.valueOf(exp) : "street".equals(name) ? (T) "wukang" : null;
            }
        };
    }

    String expiringIn(Duration d) {
        return "tok@" + clock.instant().plus(d).getEpochSecond();
    }

    @Test
    void aTokenSentAgainIsNotVerifiedAgainWithinItsLife() throws Exception {
        VerifiedTokens cache = new VerifiedTokens(100, Duration.ofMinutes(5), clock);
        String token = expiringIn(Duration.ofHours(8));
        JsonWebToken first = cache.parse(token, this::verify);
        assertSame(first, cache.parse(token, this::verify));
        assertEquals(List.of(token), verifications);
    }

    @Test
    void aTokenPastItsExpiryGoesBackToTheVerifier() throws Exception {
        VerifiedTokens cache = new VerifiedTokens(100, Duration.ofMinutes(5), clock);
        String token = expiringIn(Duration.ofSeconds(30));
        cache.parse(token, this::verify);
        clock.advance(Duration.ofSeconds(31));
        cache.parse(token, this::verify);
        assertEquals(2, verifications.size(), "the verifier decides about an expired token (its leeway, its refusal)");
    }

    @Test
    void aLongLivedTokenIsVerifiedAgainAfterTheCachesTtl() throws Exception {
        VerifiedTokens cache = new VerifiedTokens(100, Duration.ofMinutes(5), clock);
        String token = expiringIn(Duration.ofHours(8));
        cache.parse(token, this::verify);
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        cache.parse(token, this::verify);
        assertEquals(2, verifications.size(), "a withdrawn signing key stops admitting it within the ttl");
    }

    @Test
    void anotherTextIsAnotherTokenAndARefusalIsNeverRemembered() throws Exception {
        VerifiedTokens cache = new VerifiedTokens(100, Duration.ofMinutes(5), clock);
        String token = expiringIn(Duration.ofHours(8));
        cache.parse(token, this::verify);
        // the same claims with another signature: not the remembered token
        assertThrows(ParseException.class, () -> cache.parse("bad" + token, this::verify));
        assertThrows(ParseException.class, () -> cache.parse("bad" + token, this::verify));
        assertEquals(List.of(token, "bad" + token, "bad" + token), verifications);
    }

    @Test
    void eachClaimIsReadFromTheTokenOnceAcrossRequests() throws Exception {
        VerifiedTokens cache = new VerifiedTokens(100, Duration.ofMinutes(5), clock);
        String token = expiringIn(Duration.ofHours(8));
        for (int request = 0; request < 3; request++) {
            JsonWebToken jwt = cache.parse(token, this::verify);
            assertEquals("wukang", jwt.getClaim("street"));
            assertEquals("wukang", jwt.getClaim("street"));
            assertNull(jwt.getClaim("area"));
            assertNull(jwt.getClaim("area"));
        }
        // the cache's own read of exp (its expiry), then street and area once each (smallrye-jwt throws and
        // catches an exception inside every read of a claim of ours)
        assertEquals(List.of("exp", "street", "area"), claimReads);
    }

    @Test
    void sizeZeroVerifiesEveryRequest() throws Exception {
        VerifiedTokens cache = new VerifiedTokens(0, Duration.ofMinutes(5), clock);
        String token = expiringIn(Duration.ofHours(8));
        cache.parse(token, this::verify);
        cache.parse(token, this::verify);
        assertEquals(2, verifications.size());
    }
}

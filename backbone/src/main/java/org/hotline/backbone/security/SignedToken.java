package org.hotline.backbone.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A compact signed, expiring token shared by two services that hold the same secret, e.g. the
 * one-tap acknowledgement link notification-service sends and dispatch-service verifies:
 * {@code base64url(claims JSON) "." base64url(HMAC-SHA256(secret, first part))}. The claims carry
 * {@code exp} (epoch seconds). Written here rather than pulling in a JWT library because it is two
 * JDK calls and both ends are ours; user authentication (issue #7) uses real JWTs.
 */
public final class SignedToken {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private SignedToken() {
    }

    /** Signs the claims (string values) with an expiry. */
    public static String sign(byte[] secret, Map<String, String> claims, Instant expiresAt) {
        Map<String, String> all = new LinkedHashMap<>(claims);
        all.put("exp", Long.toString(expiresAt.getEpochSecond()));
        try {
            String payload = B64.encodeToString(JSON.writeValueAsBytes(all));
            return payload + "." + B64.encodeToString(hmacSha256(secret, payload.getBytes(StandardCharsets.US_ASCII)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The claims of a token whose signature is right and that has not expired at {@code now};
     * otherwise {@link InvalidTokenException} saying which (never which byte was wrong).
     */
    public static Map<String, String> verify(byte[] secret, String token, Instant now) {
        if (token == null) {
            throw new InvalidTokenException("missing token");
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            throw new InvalidTokenException("malformed token");
        }
        String payload = token.substring(0, dot);
        byte[] given;
        try {
            given = B64D.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException("malformed token");
        }
        if (!MessageDigest.isEqual(given, hmacSha256(secret, payload.getBytes(StandardCharsets.US_ASCII)))) {
            throw new InvalidTokenException("bad signature");
        }
        Map<String, String> claims;
        try {
            claims = JSON.readValue(B64D.decode(payload), new TypeReference<Map<String, String>>() {
            });
        } catch (Exception e) {
            throw new InvalidTokenException("malformed token");
        }
        long exp;
        try {
            exp = Long.parseLong(claims.get("exp"));
        } catch (RuntimeException e) {
            throw new InvalidTokenException("token without expiry");
        }
        if (now.getEpochSecond() >= exp) {
            throw new InvalidTokenException("token expired");
        }
        return claims;
    }

    /** HMAC-SHA256, e.g. for signing a webhook body. */
    public static byte[] hmacSha256(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token that must be refused; the message is safe to show (401/403 detail). */
    public static final class InvalidTokenException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public InvalidTokenException(String message) {
            super(message);
        }
    }
}

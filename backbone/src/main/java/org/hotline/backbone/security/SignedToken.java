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

    /** The development default of {@code hotline.ack-token.secret}: refused outside dev and test. */
    public static final String DEV_SECRET = "dev-ack-secret-change-me";
    private static final int MIN_SECRET_BYTES = 32;

    private SignedToken() {
    }

    /**
     * The shared secret as bytes. Outside dev and test (Quarkus launch mode NORMAL: a packaged
     * service) the development default or a secret under 32 bytes stops the service at start:
     * anyone who knows an assignment id could forge a one-tap acknowledgement with it.
     */
    public static byte[] sharedSecret(String configured) {
        return requireSecret(configured, DEV_SECRET, "HOTLINE_ACK_TOKEN_SECRET (hotline.ack-token.secret)",
                "the same in dispatch-service and notification-service: one-tap acknowledgement links are signed with it");
    }

    /**
     * A signing secret as bytes; in a packaged service (launch mode NORMAL) its public development
     * default or one under 32 bytes stops the service at start, naming the setting and why.
     */
    public static byte[] requireSecret(String configured, String devDefault, String setting, String why) {
        byte[] bytes = configured.getBytes(StandardCharsets.UTF_8);
        if (io.quarkus.runtime.LaunchMode.current() == io.quarkus.runtime.LaunchMode.NORMAL
                && (devDefault.equals(configured) || bytes.length < MIN_SECRET_BYTES)) {
            throw new IllegalStateException("set " + setting + " to a secret of at least " + MIN_SECRET_BYTES + " bytes, "
                    + why + ", and the development default is public");
        }
        return bytes;
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

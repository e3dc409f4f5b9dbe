package org.hotline.loadgen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * Bearer tokens for the demo users and the load's own units, signed (RS256, jose4j) with the
 * development key exactly as {@code deploy/token.sh} mints them: issuer, audience {@code hotline},
 * {@code upn}, {@code groups} and the scope claims ({@code street}, {@code area}, {@code unit},
 * {@code member}). One token per user, minted once and reused for the run (8 h lifetime).
 */
public final class Tokens {

    private final PrivateKey key;
    private final String issuer;
    private final String audience;
    private final long ttlSeconds;
    private final Map<String, String> cache = new ConcurrentHashMap<>();

    public Tokens(PrivateKey key, String issuer, String audience, long ttlSeconds) {
        this.key = key;
        this.issuer = issuer;
        this.audience = audience;
        this.ttlSeconds = ttlSeconds;
    }

    public static Tokens fromPem(Path pem, String issuer, String audience) throws IOException {
        return new Tokens(readPkcs8(pem), issuer, audience, 8 * 3600);
    }

    /** A PKCS#8 PEM ("BEGIN PRIVATE KEY", as openssl genpkey writes it) to an RSA private key. */
    public static PrivateKey readPkcs8(Path pem) throws IOException {
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        if (!text.contains("BEGIN PRIVATE KEY")) {
            throw new IOException(pem + ": expected a PKCS#8 PEM (-----BEGIN PRIVATE KEY-----)");
        }
        String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(pem + ": not an RSA private key: " + e.getMessage(), e);
        }
    }

    public String operator(String user) {
        return cache.computeIfAbsent("op:" + user, k -> sign(user, "operator", Map.of()));
    }

    public String dispatcher(String user, String street) {
        return cache.computeIfAbsent("disp:" + user + "@" + street, k -> sign(user, "dispatcher", Map.of("street", street)));
    }

    public String admin() {
        return cache.computeIfAbsent("admin", k -> sign("admin", "admin", Map.of()));
    }

    /** A field member of a unit: {@code <unit>-m1} unless told otherwise. */
    public String field(String unitId, String memberId) {
        return cache.computeIfAbsent("field:" + memberId,
                k -> sign(memberId, "field", Map.of("unit", unitId, "member", memberId)));
    }

    String sign(String user, String role, Map<String, String> scope) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setAudience(audience);
        claims.setSubject(user);
        claims.setClaim("upn", user);
        claims.setStringListClaim("groups", List.of(role));
        long now = System.currentTimeMillis() / 1000;
        claims.setClaim("iat", now);
        claims.setClaim("exp", now + ttlSeconds);
        claims.setJwtId(UUID.randomUUID().toString());
        scope.forEach(claims::setClaim);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setKeyIdHeaderValue("dev");
        jws.setHeader("typ", "JWT");
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign a token for " + user + ": " + e.getMessage(), e);
        }
    }
}

package org.hotline.backbone.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.hotline.backbone.security.Roles;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * Signed test tokens, as the identity provider would issue them, with backbone's test key pair
 * (the test profile verifies against test-jwt/public.pem). {@code bearer(...)} gives the header value.
 */
public final class TestTokens {

    public static final String ISSUER = "https://hotline.test";
    /** The audience the services require (mp.jwt.verify.audiences). */
    public static final String AUDIENCE = "hotline";

    private static PrivateKey key;

    private TestTokens() {
    }

    /** A token for {@code user} with {@code roles} and the given scope claims (street, area, unit, member). */
    public static String token(String user, Set<String> roles, Map<String, String> claims) {
        // a day: suites sign some tokens once per class, and a slow run must not outlive them
        JwtClaimsBuilder b = Jwt.issuer(ISSUER).audience(AUDIENCE).upn(user).subject(user).groups(roles).expiresIn(86_400);
        claims.forEach(b::claim);
        return b.jws().keyId("test").sign(privateKey());
    }

    /** A valid token that expires in {@code seconds}, e.g. to see a stream end with it. */
    public static String expiringIn(long seconds, String user, Set<String> roles, Map<String, String> claims) {
        JwtClaimsBuilder b = Jwt.issuer(ISSUER).audience(AUDIENCE).upn(user).subject(user).groups(roles)
                .expiresIn(seconds);
        claims.forEach(b::claim);
        return b.jws().keyId("test").sign(privateKey());
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }

    /** REST-assured's {@code given()} with the token as bearer. */
    public static io.restassured.specification.RequestSpecification as(String token) {
        return io.restassured.RestAssured.given().header("Authorization", bearer(token));
    }

    public static String operator(String user) {
        return token(user, Set.of(Roles.OPERATOR), Map.of());
    }

    public static String dispatcher(String user, String street) {
        return token(user, Set.of(Roles.DISPATCHER), Map.of("street", street));
    }

    public static String field(String member, String unit) {
        return token(member, Set.of(Roles.FIELD), Map.of("unit", unit, "member", member));
    }

    /** {@code area}: a street code, or {@link Roles#COUNTY}. */
    public static String supervisor(String user, String area) {
        return token(user, Set.of(Roles.SUPERVISOR), Map.of("area", area));
    }

    public static String admin(String user) {
        return token(user, Set.of(Roles.ADMIN), Map.of());
    }

    public static String monitoring(String user) {
        return token(user, Set.of(Roles.MONITORING), Map.of());
    }

    /**
     * A token with just {@code role}, and scope claims that satisfy any street or unit check of
     * that role where one is possible, so what refuses it is the role alone.
     */
    public static String onlyRole(String role) {
        Map<String, String> claims = new LinkedHashMap<>();
        switch (role) {
            case Roles.DISPATCHER -> claims.put("street", "test-street");
            case Roles.SUPERVISOR -> claims.put("area", Roles.COUNTY);
            case Roles.FIELD -> {
                claims.put("unit", "test-unit");
                claims.put("member", "test-member");
            }
            default -> {
            }
        }
        return token("only-" + role, Set.of(role), claims);
    }

    /** A properly signed token that expired ten minutes ago (well past the verifier's 60 s clock skew). */
    public static String expired(String user, String role) {
        long now = System.currentTimeMillis() / 1000;
        return Jwt.issuer(ISSUER).audience(AUDIENCE).upn(user).groups(Set.of(role)).issuedAt(now - 3600).expiresAt(now - 600)
                .jws().keyId("test").sign(privateKey());
    }

    /** A properly signed token from another issuer. */
    public static String otherIssuer(String user, String role) {
        return Jwt.issuer("https://evil.example").audience(AUDIENCE).upn(user).groups(Set.of(role)).expiresIn(3600).jws().keyId("test")
                .sign(privateKey());
    }

    /** A properly signed token issued for another client of the identity provider. */
    public static String otherAudience(String user, String role) {
        return Jwt.issuer(ISSUER).audience("some-other-app").upn(user).groups(Set.of(role)).expiresIn(3600).jws()
                .keyId("test").sign(privateKey());
    }

    /** A token signed with a key the services do not trust. */
    public static String forged(String user, List<String> roles) {
        try {
            var gen = java.security.KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048);
            return Jwt.issuer(ISSUER).audience(AUDIENCE).upn(user).groups(Set.copyOf(roles)).expiresIn(3600).sign(gen.generateKeyPair().getPrivate());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static synchronized PrivateKey privateKey() {
        if (key == null) {
            try (InputStream in = TestTokens.class.getClassLoader().getResourceAsStream("test-jwt/private.pem")) {
                String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                        .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
                key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
            } catch (IOException | java.security.GeneralSecurityException | NullPointerException e) {
                throw new IllegalStateException("test-jwt/private.pem not readable", e);
            }
        }
        return key;
    }
}

package org.hotline.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import org.hotline.backbone.web.ProblemException;
import org.hotline.dispatch.service.DevSignIn;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The local run's demo sign-in (issue #14) mints tokens only where the services verify with the
 * development key: off by default (404), and refused (403) with an identity provider's JWKS URL or
 * any other key. Plain JUnit: no service started.
 */
class DevSignInTest {

    static final String TEST_PRIVATE = "test-jwt/private.pem";
    static final String TEST_PUBLIC = "test-jwt/public.pem";
    static final String DEPLOY_PUBLIC = java.nio.file.Path.of("../deploy/dev-jwt/public.pem").toAbsolutePath().toUri().toString();
    final ObjectMapper json = new ObjectMapper();

    DevSignIn signIn(boolean enabled, String privateKey, String verifyWith) {
        return new DevSignIn(enabled, Optional.ofNullable(privateKey), Optional.ofNullable(verifyWith), "https://hotline.test",
                "hotline", Duration.ofHours(8), Clock.systemUTC(), json);
    }

    static int status(Runnable r) {
        return assertThrows(ProblemException.class, r::run).status();
    }

    @Test
    void offByDefaultItIsNotFound() {
        assertEquals(404, status(() -> signIn(false, TEST_PRIVATE, TEST_PUBLIC).mint("wk-zhang")));
    }

    @Test
    void withAnIdentityProvidersKeysItIsRefused() {
        assertEquals(403, status(() -> signIn(true, TEST_PRIVATE, "https://idp.example/realms/hotline/protocol/openid-connect/certs")
                .mint("wk-zhang")));
        assertEquals(403, status(() -> signIn(true, TEST_PRIVATE, null).mint("wk-zhang")));
        assertEquals(403, status(() -> signIn(true, null, TEST_PUBLIC).mint("wk-zhang")));
    }

    @Test
    void withAnotherKeyThanTheDevelopmentKeyItIsRefused() {
        // the services verify with the local run's key, the sign-in holds the tests' private key
        assertEquals(403, status(() -> signIn(true, TEST_PRIVATE, DEPLOY_PUBLIC).mint("wk-zhang")));
    }

    @Test
    void unknownUsersAreBadInput() {
        ProblemException e = assertThrows(ProblemException.class, () -> signIn(true, TEST_PRIVATE, TEST_PUBLIC).mint("mallory"));
        assertEquals(400, e.status());
    }

    @Test
    void withTheMatchingKeyItMintsTheDemoUsersToken() throws Exception {
        DevSignIn.Minted m = signIn(true, TEST_PRIVATE, TEST_PUBLIC).mint("wk-zhang");
        String[] parts = m.token().split("\\.");
        String pem = new String(getClass().getClassLoader().getResourceAsStream(TEST_PUBLIC).readAllBytes(), StandardCharsets.US_ASCII);
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initVerify(KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(
                Base64.getDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "")))));
        s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertTrue(s.verify(Base64.getUrlDecoder().decode(parts[2])), "signed with the development key");
        JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertEquals("wk-zhang", claims.path("upn").asText());
        assertEquals("dispatcher", claims.path("groups").get(0).asText());
        assertEquals("wukang", claims.path("street").asText());
        assertEquals("https://hotline.test", claims.path("iss").asText());
        assertEquals("hotline", claims.path("aud").asText());
        // any member of a demo unit, as deploy/token.sh allows
        JsonNode member = json.readTree(Base64.getUrlDecoder().decode(
                signIn(true, TEST_PRIVATE, TEST_PUBLIC).mint("wk-zf-2-m2").token().split("\\.")[1]));
        assertEquals("wk-zf-2", member.path("unit").asText());
        assertEquals("wk-zf-2-m2", member.path("member").asText());
    }
}

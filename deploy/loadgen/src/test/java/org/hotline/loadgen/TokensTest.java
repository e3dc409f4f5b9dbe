package org.hotline.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;

import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;

/** The tokens verify against deploy/dev-jwt/public.pem with the claims the services read, like deploy/token.sh's. */
class TokensTest {

    static final Path ROOT = Path.of(System.getProperty("hotline.root", "../.."));

    @Test
    void signedWithTheDevelopmentKeyAndCarryTheScope() throws Exception {
        Tokens tokens = Tokens.fromPem(ROOT.resolve("deploy/dev-jwt/private.pem"), "https://hotline.local/dev", "hotline");
        JwtConsumer consumer = new JwtConsumerBuilder().setVerificationKey(publicKey(ROOT.resolve("deploy/dev-jwt/public.pem")))
                .setExpectedIssuer("https://hotline.local/dev").setExpectedAudience("hotline").setRequireExpirationTime().build();

        JwtClaims field = consumer.processToClaims(tokens.field("lg-grid-worker-1", "lg-grid-worker-1-m1"));
        assertEquals(List.of("field"), field.getStringListClaimValue("groups"));
        assertEquals("lg-grid-worker-1", field.getStringClaimValue("unit"));
        assertEquals("lg-grid-worker-1-m1", field.getStringClaimValue("member"));
        assertEquals("lg-grid-worker-1-m1", field.getStringClaimValue("upn"));

        JwtClaims dispatcher = consumer.processToClaims(tokens.dispatcher("wk-zhang", "wukang"));
        assertEquals(List.of("dispatcher"), dispatcher.getStringListClaimValue("groups"));
        assertEquals("wukang", dispatcher.getStringClaimValue("street"));

        assertEquals(List.of("operator"), consumer.processToClaims(tokens.operator("op-chen")).getStringListClaimValue("groups"));
        assertEquals(List.of("admin"), consumer.processToClaims(tokens.admin()).getStringListClaimValue("groups"));
        // minted once per user
        assertSame(tokens.operator("op-chen"), tokens.operator("op-chen"));
    }

    static PublicKey publicKey(Path pem) throws Exception {
        String b64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
    }
}

package org.hotline.backbone.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SignedTokenTest {

    private static final byte[] SECRET = "s3cret-for-tests".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-11-23T08:00:00Z");

    /** A plain JUnit run is Quarkus's NORMAL launch mode, as a packaged service is. */
    @Test
    void aPackagedServiceRefusesTheDevelopmentSecretOrAShortOne() {
        IllegalStateException dev = assertThrows(IllegalStateException.class,
                () -> SignedToken.sharedSecret(SignedToken.DEV_SECRET));
        org.junit.jupiter.api.Assertions.assertTrue(dev.getMessage().contains("HOTLINE_ACK_TOKEN_SECRET"), dev.getMessage());
        assertThrows(IllegalStateException.class, () -> SignedToken.sharedSecret("short-secret"));
        String strong = "0123456789abcdef0123456789abcdef";
        org.junit.jupiter.api.Assertions.assertArrayEquals(strong.getBytes(StandardCharsets.UTF_8),
                SignedToken.sharedSecret(strong));
    }

    /** The webhook HMAC secret (notification-service) goes through the same check. */
    @Test
    void anyPackagedSigningSecretRefusesItsDevelopmentDefault() {
        IllegalStateException dev = assertThrows(IllegalStateException.class, () -> SignedToken.requireSecret(
                "dev-webhook-secret-change-me", "dev-webhook-secret-change-me", "NOTIFICATION_WEBHOOK_SECRET", "receivers check it"));
        org.junit.jupiter.api.Assertions.assertTrue(dev.getMessage().contains("NOTIFICATION_WEBHOOK_SECRET"), dev.getMessage());
        String strong = "0123456789abcdef0123456789abcdef";
        org.junit.jupiter.api.Assertions.assertArrayEquals(strong.getBytes(StandardCharsets.UTF_8),
                SignedToken.requireSecret(strong, "dev-webhook-secret-change-me", "NOTIFICATION_WEBHOOK_SECRET", "x"));
    }

    @Test
    void roundTripsClaimsUntilExpiry() {
        String token = SignedToken.sign(SECRET, Map.of("assignment", "a-1", "member", "m-9"), NOW.plusSeconds(600));
        Map<String, String> claims = SignedToken.verify(SECRET, token, NOW.plusSeconds(599));
        assertEquals("a-1", claims.get("assignment"));
        assertEquals("m-9", claims.get("member"));
        assertEquals("token expired", assertThrows(SignedToken.InvalidTokenException.class,
                () -> SignedToken.verify(SECRET, token, NOW.plusSeconds(600))).getMessage());
    }

    @Test
    void refusesTamperedOrForeignTokens() {
        String token = SignedToken.sign(SECRET, Map.of("assignment", "a-1"), NOW.plusSeconds(600));
        String forged = SignedToken.sign("other".getBytes(StandardCharsets.UTF_8), Map.of("assignment", "a-2"),
                NOW.plusSeconds(600));
        String swapped = forged.substring(0, forged.indexOf('.')) + token.substring(token.indexOf('.'));
        assertEquals("bad signature", assertThrows(SignedToken.InvalidTokenException.class,
                () -> SignedToken.verify(SECRET, swapped, NOW)).getMessage());
        assertEquals("bad signature", assertThrows(SignedToken.InvalidTokenException.class,
                () -> SignedToken.verify(SECRET, forged, NOW)).getMessage());
        assertEquals("malformed token", assertThrows(SignedToken.InvalidTokenException.class,
                () -> SignedToken.verify(SECRET, "garbage", NOW)).getMessage());
    }

    @Test
    void masksPhonesAndNames() {
        assertEquals("138****5678", Mask.phone("13812345678"));
        assertEquals("138****5678", Mask.phone("+86 138-1234-5678"));
        assertEquals("张*", Mask.name("张三丰"));
        assertEquals("Z*", Mask.name("Zhang San"));
        assertEquals("\uD840\uDC00*", Mask.name("\uD840\uDC00三")); // a name starting outside the BMP keeps its whole first character
        assertEquals("010****5678", Mask.phone("0086-010-1234-5678"), "the last eleven digits of a longer number");
        assertEquals("******4567", Mask.phone("021 1234567"));
        assertEquals("*23", Mask.phone("1-2-3"));
        assertEquals("", Mask.phone("ext."));
        assertEquals("caller 139****0000 says call 138****5678 back",
                Mask.phonesIn("caller 13900000000 says call +8613812345678 back"));
        // a landline's seven digits after its area code, with and without the dash
        assertEquals("office 010****5678 or ******4567 or ******4567",
                Mask.phonesIn("office 010-12345678 or 021-1234567 or 0211234567"));
        // times, dates, masked numbers and short codes are no phones: the text comes back as it was
        String noPhone = "2026-12-06 20:31 工单 138****5678, 派单 #123456, 4008-123";
        assertSame(noPhone, Mask.phonesIn(noPhone));
    }
}

package org.hotline.dispatch.service;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hotline.backbone.web.ProblemException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The local run's sign-in for the demo users (issue #14): mints a token for a listed demo user with
 * the development private key, exactly as {@code deploy/token.sh} does. It is off unless
 * {@code ui.dev-login.enabled=true}, and even then it refuses (403) unless the key the services
 * verify tokens with ({@code mp.jwt.verify.publickey.location}) is a PEM file whose public key is the
 * one of the configured development private key: with a production identity provider (a JWKS URL,
 * or any other key) no token can be minted here. Passwords: none, ever.
 */
@ApplicationScoped
public class DevSignIn {

    /** A demo user as the sign-in list shows it. */
    public record DemoUser(String user, String name, List<String> roles, Map<String, String> claims, String note) {
    }

    /** The demo users (the same as deploy/token.sh), plus the first member of every demo unit. */
    public static final List<DemoUser> USERS = List.of(
            new DemoUser("wk-zhang", "张伟", List.of("dispatcher"), Map.of("street", "wukang"), "武康街道指挥室调度员"),
            new DemoUser("wk-li", "李娜", List.of("dispatcher"), Map.of("street", "wukang"), "武康街道指挥室调度员"),
            new DemoUser("wk-wang", "王强", List.of("supervisor"), Map.of("area", "wukang"), "武康街道督办员"),
            new DemoUser("county-sup", "县12345中心", List.of("supervisor"), Map.of("area", "county"), "县级督办（全县）"),
            new DemoUser("qj-zhou", "周敏", List.of("dispatcher"), Map.of("street", "qujiang"), "曲江街道调度员（另一街道）"),
            new DemoUser("wk-pcs-north-m1", "王建国", List.of("field"), member("wk-pcs-north"), "武康派出所城北警务区"),
            new DemoUser("wk-pcs-south-m1", "陈志强", List.of("field"), member("wk-pcs-south"), "武康派出所城南警务区"),
            new DemoUser("wk-zf-1-m1", "沈国平", List.of("field"), member("wk-zf-1"), "武康综合执法中队一组"),
            new DemoUser("wk-zf-2-m1", "钱立新", List.of("field"), member("wk-zf-2"), "武康综合执法中队二组"),
            new DemoUser("wk-dqs-1-m1", "徐美华", List.of("field"), member("wk-dqs-1"), "德清嫂调解队（英溪）"),
            new DemoUser("wk-dqs-2-m1", "孙秀英", List.of("field"), member("wk-dqs-2"), "德清嫂调解队（千秋）"),
            new DemoUser("wk-cg-1-m1", "郑海涛", List.of("field"), member("wk-cg-1"), "城市管理办公室市政组"),
            new DemoUser("wk-cg-2-m1", "何新民", List.of("field"), member("wk-cg-2"), "城市管理办公室环卫组"),
            new DemoUser("wk-grid-01-m1", "许燕", List.of("field"), member("wk-grid-01"), "网格员 英溪社区01网格"),
            new DemoUser("wk-grid-02-m1", "金晓红", List.of("field"), member("wk-grid-02"), "网格员 英溪社区02网格"),
            new DemoUser("wk-grid-03-m1", "高丽", List.of("field"), member("wk-grid-03"), "网格员 千秋社区03网格"),
            new DemoUser("wk-labor-m1", "韩国庆", List.of("field"), member("wk-labor"), "武康劳动保障所"),
            new DemoUser("wk-scjg-m1", "方晓明", List.of("field"), member("wk-scjg"), "武康市场监管所"),
            new DemoUser("op-chen", "陈静", List.of("operator"), Map.of(), "12345 话务员（无界面，用 API）"),
            new DemoUser("admin", "管理员", List.of("admin"), Map.of(), "系统管理员"));

    private static Map<String, String> member(String unit) {
        return Map.of("unit", unit, "member", unit + "-m1");
    }

    private static final Pattern ANY_MEMBER = Pattern.compile("^(wk-[a-z0-9-]+)-m([0-9]+)$");

    private final boolean enabled;
    private final Optional<String> privateKeyLocation;
    private final Optional<String> verifyLocation;
    private final String issuer;
    private final String audience;
    private final Duration ttl;
    private final Clock clock;
    private final ObjectMapper mapper;

    public DevSignIn(@ConfigProperty(name = "ui.dev-login.enabled", defaultValue = "false") boolean enabled,
            @ConfigProperty(name = "ui.dev-login.private-key") Optional<String> privateKeyLocation,
            @ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> verifyLocation,
            @ConfigProperty(name = "mp.jwt.verify.issuer", defaultValue = "https://hotline.local/dev") String issuer,
            @ConfigProperty(name = "mp.jwt.verify.audiences", defaultValue = "hotline") String audience,
            @ConfigProperty(name = "ui.dev-login.ttl", defaultValue = "PT8H") Duration ttl, Clock clock,
            ObjectMapper mapper) {
        this.enabled = enabled;
        this.privateKeyLocation = privateKeyLocation;
        this.verifyLocation = verifyLocation;
        this.issuer = issuer;
        this.audience = audience.split(",")[0].trim();
        this.ttl = ttl;
        this.clock = clock;
        this.mapper = mapper;
    }

    public boolean enabled() {
        return enabled;
    }

    /** 404 problem when the development sign-in is off (production). */
    public void requireEnabled() {
        if (!enabled) {
            throw new ProblemException(404, "Not found",
                    "the development sign-in is not enabled here: sign in with the identity provider");
        }
    }

    /** A minted token and when it expires. */
    public record Minted(String token, Instant expiresAt, DemoUser user) {
    }

    /**
     * A token for a demo user. 404 when the dev sign-in is off; 403 when the services do not verify
     * with the development key; 400 for a user not on the list.
     */
    public Minted mint(String user) {
        requireEnabled();
        PrivateKey key = usableKey();
        DemoUser demo = find(user)
                .orElseThrow(() -> ProblemException.badRequest("user", "not a demo user (see the sign-in list)"));
        Instant now = clock.instant();
        Instant exp = now.plus(ttl);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("iss", issuer);
        payload.put("aud", audience);
        payload.put("sub", demo.user());
        payload.put("upn", demo.user());
        payload.put("name", demo.name());
        payload.put("groups", demo.roles());
        payload.put("iat", now.getEpochSecond());
        payload.put("exp", exp.getEpochSecond());
        payload.put("jti", UUID.randomUUID().toString());
        payload.putAll(demo.claims());
        return new Minted(sign(key, payload), exp, demo);
    }

    static Optional<DemoUser> find(String user) {
        if (user == null) {
            return Optional.empty();
        }
        Optional<DemoUser> listed = USERS.stream().filter(u -> u.user().equals(user)).findFirst();
        if (listed.isPresent()) {
            return listed;
        }
        Matcher m = ANY_MEMBER.matcher(user);
        if (m.matches()) { // any member of a demo unit, as deploy/token.sh allows
            return Optional.of(new DemoUser(user, user, List.of("field"), Map.of("unit", m.group(1), "member", user),
                    "field member"));
        }
        return Optional.empty();
    }

    /** The development private key, once it is proven to match the key the services verify with. */
    PrivateKey usableKey() {
        if (privateKeyLocation.isEmpty()) {
            throw ProblemException.forbidden("the development sign-in has no key configured (ui.dev-login.private-key)");
        }
        String verify = verifyLocation.orElse("");
        if (verify.isBlank() || verify.startsWith("http:") || verify.startsWith("https:")) {
            throw ProblemException.forbidden(
                    "the development sign-in is refused: the services verify tokens with the identity provider's keys");
        }
        try {
            RSAPrivateCrtKey priv = (RSAPrivateCrtKey) KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(pem(read(privateKeyLocation.get()))));
            RSAPublicKey pub = (RSAPublicKey) publicKey(read(verify));
            if (!pub.getModulus().equals(priv.getModulus()) || !pub.getPublicExponent().equals(priv.getPublicExponent())) {
                throw ProblemException.forbidden(
                        "the development sign-in is refused: the services verify tokens with another key than the development key");
            }
            return priv;
        } catch (IOException | GeneralSecurityException | ClassCastException | IllegalArgumentException e) {
            throw ProblemException.forbidden("the development sign-in is refused: its key cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static PublicKey publicKey(String pemText) throws GeneralSecurityException {
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(pem(pemText)));
    }

    private static byte[] pem(String text) {
        return Base64.getDecoder().decode(text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
    }

    /** A file (path or file: URI) or a classpath resource, as mp.jwt.verify.publickey.location takes. */
    static String read(String location) throws IOException {
        String loc = location.trim();
        if (loc.startsWith("file:")) {
            return Files.readString(Path.of(URI.create(loc)), StandardCharsets.US_ASCII);
        }
        Path p = Path.of(loc.startsWith("classpath:") ? loc.substring(10) : loc);
        if (!loc.startsWith("classpath:") && Files.isRegularFile(p)) {
            return Files.readString(p, StandardCharsets.US_ASCII);
        }
        String resource = loc.startsWith("classpath:") ? loc.substring(10) : loc;
        try (InputStream in = Thread.currentThread().getContextClassLoader()
                .getResourceAsStream(resource.startsWith("/") ? resource.substring(1) : resource)) {
            if (in == null) {
                throw new IOException("no key at " + location);
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private String sign(PrivateKey key, Map<String, Object> payload) {
        try {
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            String header = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"dev\"}".getBytes(StandardCharsets.UTF_8));
            String body = b64.encodeToString(mapper.writeValueAsBytes(payload));
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key);
            s.update((header + "." + body).getBytes(StandardCharsets.US_ASCII));
            return header + "." + body + "." + b64.encodeToString(s.sign());
        } catch (GeneralSecurityException | JsonProcessingException e) {
            throw new IllegalStateException("cannot sign a development token", e);
        }
    }
}

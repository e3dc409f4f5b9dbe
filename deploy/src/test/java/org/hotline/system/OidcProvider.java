package org.hotline.system;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.hotline.backbone.testing.TestTokens;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A minimal OpenID Connect provider for the browser test of the production sign-in: discovery, an
 * authorization endpoint that signs in one configured person at once (no login form) and issues a
 * code bound to the PKCE challenge, and a token endpoint that checks the code verifier (S256) and
 * returns an access token signed with the key the services trust (backbone's test key), carrying
 * the person's roles and scope claims. Nothing else of a real provider.
 */
final class OidcProvider implements AutoCloseable {

    record Person(String user, Set<String> roles, Map<String, String> claims) {
    }

    private record Grant(Person person, String challenge, String redirectUri, String clientId) {
    }

    private final HttpServer server;
    private final String clientId;
    private volatile Person next;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();
    /** What happened: "authorize S256", "token ok", "token refused: ..." */
    final List<String> log = new CopyOnWriteArrayList<>();

    OidcProvider(String clientId) throws IOException {
        this.clientId = clientId;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/.well-known/openid-configuration", this::discovery);
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.createContext("/logout", ex -> {
            log.add("logout");
            redirect(ex, query(ex).getOrDefault("post_logout_redirect_uri", "/"));
        });
        server.start();
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The person the next authorization signs in. */
    void signInNext(Person person) {
        this.next = person;
    }

    private void discovery(HttpExchange ex) throws IOException {
        String i = issuer();
        json(ex, 200, """
                {"issuer":"%s","authorization_endpoint":"%s/authorize","token_endpoint":"%s/token",
                 "end_session_endpoint":"%s/logout","jwks_uri":"%s/jwks","response_types_supported":["code"],
                 "code_challenge_methods_supported":["S256"],"grant_types_supported":["authorization_code"]}
                """.formatted(i, i, i, i, i));
    }

    private void authorize(HttpExchange ex) throws IOException {
        Map<String, String> q = query(ex);
        String redirect = q.get("redirect_uri");
        if (!clientId.equals(q.get("client_id")) || !"code".equals(q.get("response_type"))
                || !"S256".equals(q.get("code_challenge_method")) || q.get("code_challenge") == null || next == null) {
            log.add("authorize refused: " + q);
            json(ex, 400, "{\"error\":\"invalid_request\"}");
            return;
        }
        String code = UUID.randomUUID().toString();
        codes.put(code, new Grant(next, q.get("code_challenge"), redirect, q.get("client_id")));
        log.add("authorize S256");
        redirect(ex, redirect + (redirect.contains("?") ? "&" : "?") + "code=" + code + "&state="
                + URLEncoder.encode(q.get("state"), StandardCharsets.UTF_8));
    }

    private void token(HttpExchange ex) throws IOException {
        if ("OPTIONS".equals(ex.getRequestMethod())) {
            cors(ex);
            ex.sendResponseHeaders(204, -1);
            ex.close();
            return;
        }
        Map<String, String> form = parse(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Grant g = codes.remove(form.getOrDefault("code", ""));
        String refusal = g == null ? "unknown or used code"
                : !"authorization_code".equals(form.get("grant_type")) ? "grant_type"
                : !g.redirectUri().equals(form.get("redirect_uri")) ? "redirect_uri"
                : !g.clientId().equals(form.get("client_id")) ? "client_id"
                : !g.challenge().equals(s256(form.getOrDefault("code_verifier", ""))) ? "PKCE verifier" : null;
        if (refusal != null) {
            log.add("token refused: " + refusal);
            json(ex, 400, "{\"error\":\"invalid_grant\"}");
            return;
        }
        log.add("token ok");
        Person p = g.person();
        Map<String, String> claims = new LinkedHashMap<>(p.claims());
        claims.put("name", p.user());
        String access = TestTokens.expiringIn(3600, p.user(), p.roles(), claims);
        String id = TestTokens.expiringIn(3600, p.user(), p.roles(), Map.of("aud", clientId));
        json(ex, 200, """
                {"access_token":"%s","id_token":"%s","token_type":"Bearer","expires_in":3600,"scope":"openid profile"}
                """.formatted(access, id));
    }

    static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> query(HttpExchange ex) {
        String q = ex.getRequestURI().getRawQuery();
        return q == null ? Map.of() : parse(q);
    }

    private static Map<String, String> parse(String form) {
        Map<String, String> out = new HashMap<>();
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void cors(HttpExchange ex) {
        ex.getResponseHeaders().add("Access-Control-Allow-Origin", "*");
        ex.getResponseHeaders().add("Access-Control-Allow-Headers", "Content-Type, Accept, Authorization");
        ex.getResponseHeaders().add("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
    }

    private static void json(HttpExchange ex, int status, String body) throws IOException {
        cors(ex);
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    private static void redirect(HttpExchange ex, String to) throws IOException {
        ex.getResponseHeaders().add("Location", to);
        ex.sendResponseHeaders(302, -1);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package org.hotline.backbone.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.hotline.backbone.security.Roles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * The table-driven role test every service runs. The table ("METHOD /path/{param}" → the roles
 * allowed) must name exactly the endpoints the running service publishes in its OpenAPI document,
 * so a new endpoint cannot slip in unlisted. Then, for every endpoint: no token, a forged, an
 * expired, another issuer's or another audience's token → 401; each role outside its row → 403
 * from the role check itself (not from a later scope check); each role inside its row → neither 401 nor a role
 * refusal. Health, metrics and OpenAPI answer without a token. Path parameters are filled with an id that exists nowhere, so no call changes anything.
 */
public final class EndpointSecurity {

    /** A row for an endpoint open without a token (it authenticates by other means, e.g. a signed link). */
    public static final Set<String> PUBLIC = Set.of("<public>");
    /** A row for an endpoint open to every role, but not to anonymous callers. */
    public static final Set<String> ANY_ROLE = Set.copyOf(Roles.ALL);

    /** The detail of backbone's 403 for a role outside an endpoint's list (ProblemMappers.forbidden). */
    private static final String ROLE_REFUSAL = "your role may not do this";
    private static final String NOWHERE = "00000000-0000-0000-0000-00000000dead";
    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

    private EndpointSecurity() {
    }

    /** "METHOD /path" of every operation in the running service's OpenAPI document. */
    public static Set<String> published() {
        try {
            JsonNode doc = new ObjectMapper().readTree(given().queryParam("format", "json").get("/q/openapi").then()
                    .statusCode(200).extract().asString());
            Set<String> out = new TreeSet<>();
            for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext();) {
                Map.Entry<String, JsonNode> p = paths.next();
                p.getValue().fieldNames().forEachRemaining(m -> {
                    if (METHODS.contains(m)) {
                        out.add(m.toUpperCase() + " " + p.getKey());
                    }
                });
            }
            return out;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The operational routes stay open without a token: probes and Prometheus carry none. */
    public static void assertOperationalRoutesOpen() {
        for (String path : List.of("/q/health/live", "/q/health/ready", "/q/metrics", "/q/openapi")) {
            int status = given().get(path).then().extract().statusCode();
            assertTrue(status == 200 || path.equals("/q/health/ready") && status == 503,
                    path + " without a token answered " + status);
        }
    }

    public static void verify(Map<String, Set<String>> table) {
        assertOperationalRoutesOpen();
        assertEquals(published(), new TreeSet<>(table.keySet()),
                "the role table must list exactly the endpoints the service publishes");
        List<String> failures = new ArrayList<>();
        table.forEach((endpoint, allowed) -> {
            String method = endpoint.substring(0, endpoint.indexOf(' '));
            String path = endpoint.substring(endpoint.indexOf(' ') + 1).replaceAll("\\{[^}]+}", NOWHERE);
            if (allowed != PUBLIC) {
                expect(failures, endpoint, "no token", call(given(), method, path), 401);
                expect(failures, endpoint, "forged token",
                        call(given().header("Authorization", TestTokens.bearer(TestTokens.forged("mallory", Roles.ALL))), method, path), 401);
                String role = allowed.isEmpty() ? Roles.ADMIN : allowed.iterator().next();
                expect(failures, endpoint, "expired token",
                        call(given().header("Authorization", TestTokens.bearer(TestTokens.expired("late", role))), method, path), 401);
                expect(failures, endpoint, "token of another issuer",
                        call(given().header("Authorization", TestTokens.bearer(TestTokens.otherIssuer("evil", role))), method, path), 401);
                expect(failures, endpoint, "token for another audience",
                        call(given().header("Authorization", TestTokens.bearer(TestTokens.otherAudience("other", role))), method, path), 401);
            }
            for (String role : Roles.ALL) {
                Response r = call(given().header("Authorization", TestTokens.bearer(TestTokens.onlyRole(role))), method, path);
                if (allowed == PUBLIC) {
                    continue;
                }
                if (!allowed.contains(role)) {
                    // the refusal must be the role check's own, not a later scope check that happens to say 403
                    expect(failures, endpoint, "role " + role, r, 403);
                    if (r.statusCode() == 403 && !r.asString().contains(ROLE_REFUSAL)) {
                        failures.add(endpoint + " with role " + role + ": refused, but not by its role list: " + r.asString());
                    }
                } else if (r.statusCode() == 401 || r.statusCode() == 403 && r.asString().contains(ROLE_REFUSAL)) {
                    failures.add(endpoint + " as " + role + ": refused (" + r.statusCode() + ") though the table allows it");
                }
            }
        });
        assertTrue(failures.isEmpty(), () -> failures.size() + " endpoint checks failed:\n  " + String.join("\n  ", failures));
    }

    private static void expect(List<String> failures, String endpoint, String as, Response r, int status) {
        if (r.statusCode() != status) {
            failures.add(endpoint + " with " + as + ": expected " + status + ", got " + r.statusCode());
        } else {
            assertFalse(r.contentType() == null || !r.contentType().startsWith("application/problem+json"),
                    endpoint + " with " + as + ": the refusal is not problem+json");
        }
    }

    /** An admitted event stream never ends: after a few seconds without an end it counts as a 200. */
    private static Response call(RequestSpecification spec, String method, String path) {
        spec = spec.redirects().follow(false).config(io.restassured.RestAssured.config().httpClient(
                io.restassured.config.HttpClientConfig.httpClientConfig().setParam("http.socket.timeout", 3000)));
        if (!method.equals("GET") && !method.equals("DELETE")) {
            spec = spec.contentType("application/json").body("{}");
        }
        try {
            return spec.request(method, path);
        } catch (Exception e) { // RestAssured throws the checked SocketTimeoutException undeclared
            if (e instanceof java.net.SocketTimeoutException || e.getCause() instanceof java.net.SocketTimeoutException) {
                return new io.restassured.builder.ResponseBuilder().setStatusCode(200).setBody("(stream)").build();
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }
}

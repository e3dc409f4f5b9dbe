package org.hotline.intake;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;

import org.hotline.backbone.testing.InfraResource;
import org.hotline.backbone.testing.TestTokens;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/**
 * Per-user rate limit on ticket creation (issue #7): 3 at once, then one a minute; and load
 * shedding at the door (backbone's LoadShedding, here one write in flight at a time).
 */
@QuarkusTest
@TestProfile(RateLimitTest.SmallLimit.class)
@WithTestResource(InfraResource.class)
class RateLimitTest {

    public static class SmallLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("intake.rate-limit.capacity", "3", "intake.rate-limit.refill-per-minute", "1",
                    "hotline.max-writes-in-flight", "1");
        }
    }

    @Inject
    MeterRegistry registry;

    @Inject
    javax.sql.DataSource dataSource;

    static Response create(String token, String body, String idempotencyKey) {
        var spec = TestTokens.as(token).contentType(ContentType.JSON).body(body);
        return (idempotencyKey == null ? spec : spec.header("Idempotency-Key", idempotencyKey)).post("/api/tickets");
    }

    double limited() {
        return registry.find("intake.rejections").tags("channel", "rest", "reason", "rate_limited").counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    @Test
    void theFourthCreateInAMinuteIsRefusedWithRetryAfterAndWritesNothing() {
        String alice = TestTokens.operator("op-alice-" + UUID.randomUUID());
        String bob = TestTokens.operator("op-bob-" + UUID.randomUUID());
        String key = "rl-" + UUID.randomUUID();
        String first = TestData.report();
        String id = create(alice, first, key).then().statusCode(201).extract().path("id");
        create(alice, TestData.report(), null).then().statusCode(201);
        create(alice, TestData.report(), null).then().statusCode(201);

        long tickets = TestData.count("ticket");
        long events = TestData.count("outbox_event");
        double refusals = limited();
        Response refused = create(alice, TestData.report(), null);
        refused.then().statusCode(429).contentType(startsWith("application/problem+json"))
                .body("status", equalTo(429)).body("title", equalTo("Too many requests"));
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After in seconds until the next create: " + retryAfter);
        assertEquals(tickets, TestData.count("ticket"), "no ticket");
        assertEquals(events, TestData.count("outbox_event"), "no event");
        assertEquals(refusals + 1, limited(), "counted as rate_limited");

        // retrying a request that was already taken in only replays it: not refused
        create(alice, first, key).then().statusCode(200).header("Idempotent-Replayed", "true").body("id", equalTo(id));
        // a fresh key is a new ticket, and is refused
        create(alice, TestData.report(), "rl-" + UUID.randomUUID()).then().statusCode(429);

        // another operator has a bucket of his own
        create(bob, TestData.report(), null).then().statusCode(201);
        assertEquals(tickets + 1, TestData.count("ticket"));
    }

    /**
     * A write beyond the limit is refused at once with 503, Retry-After and problem+json, writing
     * nothing, instead of queueing; once the write in flight ends, writes are served again. The
     * write in flight is held inside the service: its caller's phone lock (repeat matching) is
     * taken by the test first.
     */
    @Test
    void aWriteBeyondTheInFlightLimitIsShedAtOnceWithRetryAfter() throws Exception {
        String token = TestTokens.operator("op-shed-" + UUID.randomUUID());
        String phone = TestData.phone();
        double[] p = TestData.place();
        try (java.sql.Connection c = dataSource.getConnection()) {
            lock(c, "select pg_advisory_lock(hashtext(?))", phone);
            java.util.concurrent.CompletableFuture<Integer> held = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> create(token, TestData.report(phone, p[0], p[1], "NOISE"), null).statusCode());
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> registry.find("http_writes_in_flight").gauge().value() == 1.0);

            long tickets = TestData.count("ticket");
            create(token, TestData.report(), null).then().statusCode(503)
                    .contentType(startsWith("application/problem+json"))
                    .header("Retry-After", equalTo("1"))
                    .body("title", equalTo("Service busy"));
            assertEquals(tickets, TestData.count("ticket"), "a shed write writes nothing");

            lock(c, "select pg_advisory_unlock(hashtext(?))", phone);
            assertEquals(201, held.get(10, java.util.concurrent.TimeUnit.SECONDS), "the held write is served");
        }
        create(token, TestData.report(), null).then().statusCode(201);
    }

    @io.quarkus.test.common.http.TestHTTPResource("/api/tickets")
    java.net.URL tickets;

    /**
     * A client that hangs up while its write is in flight gives its place back: the write ends
     * (its ticket is still taken in, nothing half-written) and the next write is served, not shed.
     * Were the count kept after a hang-up, every such client would lower the limit for good.
     */
    @Test
    void aClientThatHangsUpMidWriteGivesItsPlaceBack() throws Exception {
        String token = TestTokens.operator("op-gone-" + UUID.randomUUID());
        String phone = TestData.phone();
        double[] p = TestData.place();
        byte[] body = TestData.report(phone, p[0], p[1], "NOISE").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (java.sql.Connection c = dataSource.getConnection()) {
            lock(c, "select pg_advisory_lock(hashtext(?))", phone);
            try (java.net.Socket client = new java.net.Socket(tickets.getHost(), tickets.getPort())) {
                String head = "POST " + tickets.getPath() + " HTTP/1.1\r\nHost: " + tickets.getHost() + "\r\n"
                        + "Authorization: " + TestTokens.bearer(token) + "\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length + "\r\n\r\n";
                client.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                client.getOutputStream().write(body);
                client.getOutputStream().flush();
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                        .until(() -> registry.find("http_writes_in_flight").gauge().value() == 1.0);
            } // the client hangs up, its write still held inside the service
            lock(c, "select pg_advisory_unlock(hashtext(?))", phone);
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> registry.find("http_writes_in_flight").gauge().value() == 0.0);
        create(token, TestData.report(), null).then().statusCode(201);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> TestData.count("ticket where caller_phone = '" + phone + "'") == 1);
    }

    private static void lock(java.sql.Connection c, String sql, String phone) throws java.sql.SQLException {
        try (var ps = c.prepareStatement(sql)) {
            ps.setString(1, "phone:" + phone);
            ps.execute();
        }
    }
}

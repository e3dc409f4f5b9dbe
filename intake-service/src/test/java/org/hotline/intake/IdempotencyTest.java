package org.hotline.intake;

import static org.hotline.intake.Api.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.hotline.backbone.testing.InfraResource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

@QuarkusTest
@WithTestResource(InfraResource.class)
class IdempotencyTest {

    static Response post(String key, String body) {
        return given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body).post("/api/tickets");
    }

    @Test
    void theSameKeyReturnsTheSameTicketAndNeverASecondOne() {
        String key = UUID.randomUUID().toString();
        String body = TestData.report();
        String id = post(key, body).then().statusCode(201).extract().path("id");
        long before = TestData.count("ticket");
        post(key, body).then().statusCode(200).header("Idempotent-Replayed", "true").body("id", equalTo(id));
        post(key, body).then().statusCode(200).body("id", equalTo(id));
        assertEquals(before, TestData.count("ticket"));
        assertEquals(1, TestData.count("ticket_history where ticket_id = '" + id + "'"), "one ticket.received");
    }

    @Test
    void theSameKeyWithADifferentBodyIsA422AndWritesNothing() {
        String key = UUID.randomUUID().toString();
        String body = TestData.report();
        post(key, body).then().statusCode(201);
        long before = TestData.writes();
        post(key, body.replace("楼上深夜装修噪音", "楼下深夜装修噪音")).then().statusCode(422)
                .contentType(startsWith("application/problem+json"))
                .body("errors[0].field", equalTo("Idempotency-Key"));
        assertEquals(before, TestData.writes());
    }

    @Test
    void anUpstreamReferenceSeenBeforeAnswersWithItsTicketWhateverTheKey() {
        String ref = "J3305" + System.nanoTime();
        String body = TestData.report().replace("\"category\"", "\"upstreamRef\":\"" + ref + "\",\"category\"");
        String id = post(UUID.randomUUID().toString(), body).then().statusCode(201).extract().path("id");
        String key = UUID.randomUUID().toString();
        post(key, body).then().statusCode(200).body("id", equalTo(id));
        post(key, body).then().statusCode(200).body("id", equalTo(id));
        TestData.post(body).statusCode(200).body("id", equalTo(id));
        assertEquals(1, TestData.count("ticket where upstream_ref = '" + ref + "'"));
    }

    @Test
    void aBadKeyIsRefused() {
        post("x".repeat(129), TestData.report()).then().statusCode(400)
                .body("errors[0].field", equalTo("Idempotency-Key"));
    }

    @Test
    void concurrentRequestsWithOneKeyMakeOneTicket() throws Exception {
        String key = UUID.randomUUID().toString();
        String body = TestData.report();
        long before = TestData.count("ticket");
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Response>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(pool.submit(() -> {
                go.await();
                return post(key, body);
            }));
        }
        go.countDown();
        List<Integer> statuses = new ArrayList<>();
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (Future<Response> f : futures) {
            Response r = f.get();
            statuses.add(r.statusCode());
            ids.add(r.path("id"));
        }
        pool.shutdown();
        assertEquals(1, statuses.stream().filter(s -> s == 201).count(), "exactly one created: " + statuses);
        assertEquals(n - 1, statuses.stream().filter(s -> s == 200).count(), "the others replayed: " + statuses);
        assertEquals(1, ids.size(), "all answered with the same ticket");
        assertEquals(before + 1, TestData.count("ticket"));
    }
}

package org.hotline.dispatch;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hotline.backbone.testing.EventProbe;
import org.hotline.backbone.testing.EventSchemas;
import org.hotline.backbone.testing.InfraResource;
import org.hotline.backbone.testing.TestTokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(InfraResource.class)
class ConsoleActionsTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    EventProbe probe() {
        return EventProbe.shared(bootstrap, "dispatch-events");
    }

    String dispatchedTicket() {
        String[] t = TicketDispatchTest.exampleTicketReceived();
        probe().send("ticket-events", t[0], t[1].replace("wukang-03", "wukang-04"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> StreetFixture.reader().get("/api/dispatch/tickets/" + t[0])
                .then().statusCode(200).body("stage", equalTo("DISPATCHED")));
        return t[0];
    }

    /** The example ticket is in street wukang: its dispatchers act on it. */
    static String dispatcher(String user) {
        return TestTokens.dispatcher(user, "wukang");
    }

    /** An action without a body, with the token. */
    static int post(String path, String token) {
        return TestTokens.as(token).post(path).then().extract().statusCode();
    }

    @Test
    void takingTheTicketEndsTheRespondStageAndContactingTheCallerEndsTheThreeMinuteStage() {
        String id = dispatchedTicket();

        // no body: the actor is the token's user
        TestTokens.as(dispatcher("wk-zhang")).post("/api/dispatch/tickets/" + id + "/take").then().statusCode(200)
                .body("takenBy", equalTo("wk-zhang")).body("takenAt", notNullValue());
        // an empty JSON body does as well
        TestTokens.as(dispatcher("wk-zhang")).contentType(ContentType.JSON).body("{}")
                .post("/api/dispatch/tickets/" + id + "/caller-contacted").then().statusCode(200)
                .body("callerContactedAt", notNullValue());

        await().atMost(Duration.ofSeconds(20)).until(() -> !probe().ofType(id, "caller.contacted").isEmpty());
        EventProbe.Seen taken = probe().ofType(id, "ticket.taken").get(0);
        EventProbe.Seen contacted = probe().ofType(id, "caller.contacted").get(0);
        assertEquals("RESPOND", taken.json().path("data").path("stageEnded").asText());
        assertEquals("DISPATCH_CONTACT", contacted.json().path("data").path("stageEnded").asText());
        for (EventProbe.Seen e : List.of(taken, contacted)) {
            assertEquals(Set.of(), EventSchemas.violations(e.value()), e.value());
            assertEquals(id, e.key());
        }
    }

    @Test
    void twoDispatchersTakingOneTicketAtOnceGetOneSuccessAndOneConflict() throws Exception {
        String id = dispatchedTicket();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<Integer>> results = new ArrayList<>();
        for (String who : List.of("wk-zhang", "wk-wang")) {
            String token = dispatcher(who); // signed before the start, so both requests leave together
            Callable<Integer> take = () -> {
                start.await();
                return post("/api/dispatch/tickets/" + id + "/take", token);
            };
            results.add(pool.submit(take));
        }
        start.countDown();
        List<Integer> codes = new ArrayList<>();
        for (Future<Integer> f : results) {
            codes.add(f.get());
        }
        pool.shutdown();
        codes.sort(Integer::compare);
        assertEquals(List.of(200, 409), codes);
        await().atMost(Duration.ofSeconds(20)).until(() -> probe().ofType(id, "ticket.taken").size() == 1);
    }

    @Test
    void illegalOrInvalidActionsAreRefusedAsProblems() {
        String id = dispatchedTicket();
        assertEquals(200, post("/api/dispatch/tickets/" + id + "/take", dispatcher("wk-zhang")));
        TestTokens.as(dispatcher("wk-wang")).post("/api/dispatch/tickets/" + id + "/take").then().statusCode(409)
                .contentType(startsWith("application/problem+json"));
        // the actor is the token's: a body still naming the dispatcher is refused, not believed
        TestTokens.as(dispatcher("wk-wang")).contentType(ContentType.JSON).body("{\"dispatcher\":\"wk-zhang\"}")
                .post("/api/dispatch/tickets/" + id + "/caller-contacted").then().statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("errors[0].field", equalTo("dispatcher")).body("errors[0].reason", equalTo("unknown field"));
        TestTokens.as(dispatcher("wk-zhang")).contentType(ContentType.JSON).body("[1]")
                .post("/api/dispatch/tickets/" + id + "/caller-contacted").then().statusCode(400);
        TestTokens.as(dispatcher("wk-zhang")).post("/api/dispatch/tickets/" + UUID.randomUUID() + "/take").then()
                .statusCode(404);
        StreetFixture.reader().get("/api/dispatch/tickets/" + id).then().statusCode(200).body("takenBy", equalTo("wk-zhang"))
                .body("callerContactedAt", equalTo(null));
    }
}

package org.hotline.intake;

import static org.hotline.intake.Api.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hotline.backbone.testing.EventProbe;
import org.hotline.backbone.testing.EventSchemas;
import org.hotline.backbone.testing.InfraResource;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(InfraResource.class)
class RepeatReportTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    EventProbe probe() {
        return EventProbe.shared(bootstrap, "ticket-events");
    }

    @Test
    void theSameCallerAgainIsARepeatOfTheOpenTicketNotASecondTicket() {
        String phone = TestData.phone();
        double[] p = TestData.place();
        String original = TestData.post(TestData.report(phone, p[0], p[1], "NOISE")).statusCode(201).extract().path("id");
        long tickets = TestData.count("ticket");

        double[] elsewhere = TestData.place();
        String repeatId = TestData.post(TestData.report(phone, elsewhere[0], elsewhere[1], "SANITATION")).statusCode(200)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/tickets/" + original))
                .body("outcome", equalTo("REPEAT"))
                .body("repeatOf", equalTo(original))
                .body("repeatCount", equalTo(1))
                .body("matchedBy", equalTo("PHONE"))
                .body("ticket.id", equalTo(original))
                .extract().path("repeatId");
        TestData.post(TestData.report(phone.substring(0, 3) + phone.substring(3), p[0], p[1], "NOISE")).statusCode(200)
                .body("repeatCount", equalTo(2));
        assertEquals(tickets, TestData.count("ticket"), "no second ticket");

        given().get("/api/tickets/" + original).then().statusCode(200)
                .body("repeatCount", equalTo(2))
                .body("repeats[0].repeatId", equalTo(repeatId))
                .body("repeats[0].category", equalTo("SANITATION"))
                .body("history.type", contains("ticket.received", "ticket.repeat-reported", "ticket.repeat-reported"));

        await().atMost(Duration.ofSeconds(20)).until(() -> probe().ofType(original, "ticket.repeat-reported").size() == 2);
        EventProbe.Seen e = probe().ofType(original, "ticket.repeat-reported").get(0);
        assertEquals(original, e.key(), "keyed by the original ticket");
        assertEquals(Set.of(), EventSchemas.violations(e.value()));
        assertEquals(repeatId, e.json().path("data").path("repeatId").asText());
        assertEquals("PHONE", e.json().path("data").path("matchedBy").asText());
        assertFalse(e.value().contains(phone));
        assertEquals(0, probe().ofType(repeatId, "ticket.received").size(), "a repeat starts no clock");
    }

    @Test
    void theSameCategoryWithinTheRadiusIsARepeatButNotFurtherOrAnotherCategory() {
        double[] p = TestData.place();
        String original = TestData.post(TestData.report(TestData.phone(), p[0], p[1], "ROAD_DAMAGE")).statusCode(201)
                .extract().path("id");
        // about 80 m north: the same pothole reported by a passer-by
        TestData.post(TestData.report(TestData.phone(), p[0] + 0.00072, p[1], "ROAD_DAMAGE")).statusCode(200)
                .body("repeatOf", equalTo(original)).body("matchedBy", equalTo("PROXIMITY"));
        // about 130 m away: another spot
        TestData.post(TestData.report(TestData.phone(), p[0] + 0.00117, p[1], "ROAD_DAMAGE")).statusCode(201);
        // the same spot, another matter
        TestData.post(TestData.report(TestData.phone(), p[0], p[1], "NOISE")).statusCode(201);
        // no coordinates: no proximity match
        TestData.post(TestData.report(TestData.phone(), p[0], p[1], "ROAD_DAMAGE")
                .replaceAll("\"latitude\":[0-9.]+,\"longitude\":[0-9.]+,", "")).statusCode(201);
    }

    @Test
    void outsideTheWindowOrAfterCancellationItIsANewTicket() {
        String phone = TestData.phone();
        double[] p = TestData.place();
        Instant fourDaysAgo = Instant.now().minus(4, ChronoUnit.DAYS);
        TestData.post(TestData.report(phone, p[0], p[1], "NOISE")
                .replace("\"category\"", "\"reportedAt\":\"" + fourDaysAgo + "\",\"category\"")).statusCode(201);
        String second = TestData.post(TestData.report(phone, p[0], p[1], "NOISE")).statusCode(201).extract().path("id");
        given().contentType(ContentType.JSON).body("{\"reason\":\"来电人撤回诉求\"}").post("/api/tickets/" + second + "/cancel")
                .then().statusCode(200);
        // the older one is out of the window, the newer one cancelled: nothing open to repeat
        TestData.post(TestData.report(phone, p[0], p[1], "NOISE")).statusCode(201);
    }

    @Test
    void anOperatorOverrideTurnsTheRepeatIntoATicketOfItsOwn() {
        String phone = TestData.phone();
        double[] p = TestData.place();
        String original = TestData.post(TestData.report(phone, p[0], p[1], "NOISE")).statusCode(201).extract().path("id");
        double[] q = TestData.place();
        String repeatId = TestData.post(TestData.report(phone, q[0], q[1], "FIRE_HAZARD")).statusCode(200)
                .extract().path("repeatId");

        // who overrides is the token's user, never a name the client writes
        given().contentType(ContentType.JSON).body("{\"reason\":\"另一处楼道堆物，非同一诉求\",\"by\":\"op-wang\"}")
                .post("/api/tickets/" + original + "/repeats/" + repeatId + "/override").then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItem("by"));
        given().contentType(ContentType.JSON).body("{\"reason\":\"另一处楼道堆物，非同一诉求\"}")
                .post("/api/tickets/" + original + "/repeats/" + repeatId + "/override").then().statusCode(201)
                .body("id", equalTo(repeatId)).body("category", equalTo("FIRE_HAZARD")).body("status", equalTo("RECEIVED"));
        given().contentType(ContentType.JSON).body("{\"reason\":\"again\"}")
                .post("/api/tickets/" + original + "/repeats/" + repeatId + "/override").then().statusCode(409)
                .contentType(startsWith("application/problem+json"));
        given().contentType(ContentType.JSON).body("{\"reason\":\"x\"}")
                .post("/api/tickets/" + repeatId + "/repeats/" + original + "/override").then().statusCode(404);

        given().get("/api/tickets/" + original).then().body("repeatCount", equalTo(0))
                .body("repeats[0].status", equalTo("OVERRIDDEN")).body("repeats[0].overriddenBy", equalTo("test-operator"));

        await().atMost(Duration.ofSeconds(20)).until(() -> !probe().ofType(repeatId, "ticket.received").isEmpty()
                && !probe().ofType(original, "ticket.repeat-overridden").isEmpty());
        EventProbe.Seen overridden = probe().ofType(original, "ticket.repeat-overridden").get(0);
        assertEquals(Set.of(), EventSchemas.violations(overridden.value()));
        assertEquals(0, overridden.json().path("data").path("repeatCount").asInt());
        assertEquals("test-operator", overridden.json().path("data").path("overriddenBy").asText());
        EventProbe.Seen received = probe().ofType(repeatId, "ticket.received").get(0);
        assertEquals(repeatId, received.key());
        assertEquals(Set.of(), EventSchemas.violations(received.value()));
    }

    @Test
    void aTicketTheCommandRoomClosedIsNoLongerOpenSoTheSameCallerAgainIsANewTicket() {
        String phone = TestData.phone();
        double[] p = TestData.place();
        String original = TestData.post(TestData.report(phone, p[0], p[1], "NOISE")).statusCode(201).extract().path("id");
        String closed = EventSchemas.example("ticket.closed.json")
                .replace("0b6f7c1e-2a44-4d6b-9f3e-8c2d1a5b7e90", original)
                .replace("dfeac8f7-8335-4fd4-8ff1-5e5feec2c324", java.util.UUID.randomUUID().toString());
        probe().send("dispatch-events", original, closed);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/tickets/" + original).then()
                .statusCode(200).body("status", equalTo("CLOSED"))
                .body("history.type", org.hamcrest.Matchers.hasItem("ticket.closed")));
        String again = TestData.post(TestData.report(phone, p[0], p[1], "NOISE")).statusCode(201).extract().path("id");
        assertFalse(again.equals(original));
    }
}

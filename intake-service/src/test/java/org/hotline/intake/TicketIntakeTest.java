package org.hotline.intake;

import static org.hotline.intake.Api.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hotline.backbone.testing.EventProbe;
import org.hotline.backbone.testing.EventSchemas;
import org.hotline.backbone.testing.InfraResource;
import org.hotline.intake.model.Ticket;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@WithTestResource(InfraResource.class)
class TicketIntakeTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    EventProbe probe() {
        return EventProbe.shared(bootstrap, "ticket-events");
    }

    @Test
    void aReceivedTicketIsStoredAndPublishedOnceAsAValidCloudEventKeyedByTicketId() {
        String phone = TestData.phone();
        double[] p = TestData.place();
        String id = TestData.post(TestData.report(phone, p[0], p[1], "NOISE")).statusCode(201)
                .body("status", equalTo("RECEIVED"))
                .extract().path("id");

        given().when().get("/api/tickets/" + id).then().statusCode(200).body("category", equalTo("NOISE"));

        // a later change of the same ticket (same key, so the same partition, in order) as the marker:
        // once it is seen, a second copy of ticket.received would have been seen before it
        given().contentType(ContentType.JSON).body("{\"reason\":\"marker\"}").post("/api/tickets/" + id + "/cancel")
                .then().statusCode(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> !probe().ofType(id, "ticket.cancelled").isEmpty());
        List<EventProbe.Seen> events = probe().ofType(id, "ticket.received");
        assertEquals(1, events.size(), "published exactly once");
        EventProbe.Seen event = events.get(0);
        assertEquals(id, event.key(), "keyed by ticket id");
        assertEquals(id, event.subject());
        assertTrue(event.headers().get("content-type").startsWith("application/cloudevents+json"));
        assertEquals(java.util.Set.of(), EventSchemas.violations(event.value()));
        assertFalse(event.value().contains(phone), "caller phone never leaves intake in events");
        assertFalse(event.value().contains("张三"), "caller name never leaves intake in events");
        assertEquals(phone.substring(0, 3) + "****" + phone.substring(7),
                event.json().path("data").path("callerPhoneMasked").asText(), "only the masked phone");
    }

    @Test
    void badInputIsRefusedAsProblemJsonNamingTheFieldAndWritesNothing() {
        long before = Ticket.count();
        String ok = TestData.report();

        TestData.post(ok.replaceAll("\"phone\":\"\\d+\"", "\"phone\":\"12345\"")).statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(400))
                .body("errors.field", hasItem("caller.phone"));

        TestData.post(ok.replace("HOTLINE_12345", "FAX")).statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("errors.field", hasItem("source"));

        TestData.post("{\"source\": ").statusCode(400)
                .contentType(startsWith("application/problem+json"));

        TestData.post(ok.replaceAll("\"latitude\":[0-9.]+", "\"latitude\":130.5")).statusCode(400)
                .body("errors.field", hasItem("location.latitude"));

        TestData.post(ok.replace("\"category\"", "\"reportedAt\":\"2020-01-01T00:00:00Z\",\"category\""))
                .statusCode(400).body("errors.field", hasItem("reportedAt"));

        TestData.post(ok.replace("\"SIMPLE\"", "42")).statusCode(400)
                .body("errors.field", hasItem("complexity"))
                .body("detail", org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("java.")));

        assertEquals(before, Ticket.count(), "a refused request writes nothing");
    }

    @Test
    void anUnknownTicketIsA404Problem() {
        given().when().get("/api/tickets/00000000-0000-0000-0000-000000000000")
                .then().statusCode(404)
                .contentType(startsWith("application/problem+json"))
                .body("title", equalTo("Not found"));
    }

    @Test
    void aMalformedIdOrDateInThePathOrQueryIsA400NamingTheParameterNotA404() {
        given().when().get("/api/tickets/not-a-ticket-id")
                .then().statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("errors[0].field", equalTo("id"))
                .body("detail", equalTo("id: value not-a-ticket-id is not a valid UUID"));
        given().queryParam("from", "yesterday").when().get("/api/tickets")
                .then().statusCode(400).body("errors[0].field", equalTo("from"));
        given().when().get("/api/no-such-thing").then().statusCode(404);
    }

    @Test
    void aCancellationIsRecordedAndPublishedOnce() {
        String id = TestData.create();
        given().contentType(ContentType.JSON).body("{\"reason\":\"来电人撤回诉求\"}")
                .post("/api/tickets/" + id + "/cancel").then().statusCode(200).body("status", equalTo("CANCELLED"));
        given().contentType(ContentType.JSON).body("{\"reason\":\"again\"}")
                .post("/api/tickets/" + id + "/cancel").then().statusCode(409)
                .contentType(startsWith("application/problem+json"));
        given().contentType(ContentType.JSON).body("{\"reason\":\"\"}")
                .post("/api/tickets/" + id + "/cancel").then().statusCode(400).body("errors.field", hasItem("reason"));

        await().atMost(Duration.ofSeconds(20)).until(() -> !probe().ofType(id, "ticket.cancelled").isEmpty());
        assertEquals(1, probe().ofType(id, "ticket.cancelled").size());
        assertEquals(java.util.Set.of(), EventSchemas.violations(probe().ofType(id, "ticket.cancelled").get(0).value()));
    }

    @Test
    void aDissatisfiedFollowUpReopensTheTicket() {
        String id = TestData.create();
        given().contentType(ContentType.JSON).body("{\"reached\":true}")
                .post("/api/tickets/" + id + "/follow-up").then().statusCode(400)
                .body("errors.field", hasItem("satisfaction"));
        given().contentType(ContentType.JSON).body("{\"reached\":true,\"satisfaction\":\"SATISFIED\"}")
                .post("/api/tickets/" + id + "/follow-up").then().statusCode(200).body("status", equalTo("RECEIVED"));
        given().contentType(ContentType.JSON)
                .body("{\"reached\":true,\"satisfaction\":\"DISSATISFIED\",\"comment\":\"噪音依旧\"}")
                .post("/api/tickets/" + id + "/follow-up").then().statusCode(200).body("status", equalTo("REOPENED"));

        // the marker: a later change of the same ticket, published after anything the calls above published
        given().contentType(ContentType.JSON).body("{\"reason\":\"marker\"}").post("/api/tickets/" + id + "/cancel")
                .then().statusCode(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> !probe().ofType(id, "ticket.cancelled").isEmpty());
        assertEquals(1, probe().ofType(id, "ticket.reopened").size(), "only the dissatisfied call reopens");
        EventProbe.Seen reopened = probe().ofType(id, "ticket.reopened").get(0);
        assertEquals(java.util.Set.of(), EventSchemas.violations(reopened.value()));
        assertFalse(reopened.value().contains("噪音依旧"), "the caller's words stay in intake");
    }

    @Test
    void aTicketComesWithItsWholeHistoryInOrder() {
        String id = TestData.create();
        given().contentType(ContentType.JSON).body("{\"reached\":true,\"satisfaction\":\"DISSATISFIED\",\"comment\":\"没人来\"}")
                .post("/api/tickets/" + id + "/follow-up").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"reason\":\"来电人撤回诉求\"}")
                .post("/api/tickets/" + id + "/cancel").then().statusCode(200);

        given().get("/api/tickets/" + id).then().statusCode(200)
                .body("history.type", contains("ticket.received", "follow-up.recorded", "ticket.reopened",
                        "ticket.cancelled"))
                .body("history[0].data.ticketId", equalTo(id))
                .body("history[1].data.satisfaction", equalTo("DISSATISFIED"))
                .body("history[3].data.reason", equalTo("来电人撤回诉求"))
                .body("followUps[0].comment", equalTo("没人来"))
                .body("repeats.size()", equalTo(0));

        // each published entry is the very event that went out, with its id
        await().atMost(Duration.ofSeconds(20)).until(() -> !probe().ofType(id, "ticket.cancelled").isEmpty());
        String eventId = probe().ofType(id, "ticket.cancelled").get(0).json().path("id").asText();
        given().get("/api/tickets/" + id).then().body("history[3].eventId", equalTo(eventId));
    }
}

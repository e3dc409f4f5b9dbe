package org.hotline.intake;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
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

    static final String PHONE = "13812345678";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    EventProbe probe() {
        return EventProbe.shared(bootstrap, "ticket-events");
    }

    static String ticket(String phone) {
        return """
                {"source":"HOTLINE_12345",
                 "caller":{"name":"张三","phone":"%s"},
                 "location":{"address":"武康街道英溪北路 88 号","latitude":30.5453,"longitude":119.9676,"street":"wukang","grid":"wukang-03"},
                 "category":"NOISE","complexity":"SIMPLE",
                 "description":"楼上深夜装修噪音"}
                """.formatted(phone);
    }

    @Test
    void aReceivedTicketIsStoredAndPublishedOnceAsAValidCloudEventKeyedByTicketId() {
        String id = given().contentType(ContentType.JSON).body(ticket(PHONE))
                .when().post("/api/tickets")
                .then().statusCode(201)
                .body("status", equalTo("RECEIVED"))
                .extract().path("id");

        given().when().get("/api/tickets/" + id).then().statusCode(200).body("category", equalTo("NOISE"));

        await().atMost(Duration.ofSeconds(20)).until(() -> !probe().ofType(id, "ticket.received").isEmpty());
        List<EventProbe.Seen> events = probe().ofType(id, "ticket.received");
        assertEquals(1, events.size(), "published exactly once");
        EventProbe.Seen event = events.get(0);
        assertEquals(id, event.key(), "keyed by ticket id");
        assertEquals(id, event.subject());
        assertTrue(event.headers().get("content-type").startsWith("application/cloudevents+json"));
        assertEquals(java.util.Set.of(), EventSchemas.violations(event.value()));
        assertFalse(event.value().contains(PHONE), "caller phone never leaves intake in events");
        assertFalse(event.value().contains("张三"), "caller name never leaves intake in events");
    }

    @Test
    void badInputIsRefusedAsProblemJsonNamingTheFieldAndWritesNothing() {
        long before = Ticket.count();

        given().contentType(ContentType.JSON).body(ticket("12345"))
                .when().post("/api/tickets")
                .then().statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("status", equalTo(400))
                .body("errors.field", hasItem("caller.phone"));

        given().contentType(ContentType.JSON).body(ticket(PHONE).replace("HOTLINE_12345", "FAX"))
                .when().post("/api/tickets")
                .then().statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("errors.field", hasItem("source"));

        given().contentType(ContentType.JSON).body("{\"source\": ")
                .when().post("/api/tickets")
                .then().statusCode(400)
                .contentType(startsWith("application/problem+json"));

        given().contentType(ContentType.JSON).body(ticket(PHONE).replace("30.5453", "130.5"))
                .when().post("/api/tickets")
                .then().statusCode(400)
                .body("errors.field", hasItem("location.latitude"));

        given().contentType(ContentType.JSON)
                .body(ticket(PHONE).replace("\"category\"", "\"reportedAt\":\"2020-01-01T00:00:00Z\",\"category\""))
                .when().post("/api/tickets")
                .then().statusCode(400).body("errors.field", hasItem("reportedAt"));

        given().contentType(ContentType.JSON).body(ticket(PHONE).replace("\"SIMPLE\"", "42"))
                .when().post("/api/tickets")
                .then().statusCode(400)
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

    String newTicket() {
        return given().contentType(ContentType.JSON).body(ticket(PHONE)).when().post("/api/tickets")
                .then().statusCode(201).extract().path("id");
    }

    @Test
    void aCancellationIsRecordedAndPublishedOnce() {
        String id = newTicket();
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
        String id = newTicket();
        given().contentType(ContentType.JSON).body("{\"reached\":true}")
                .post("/api/tickets/" + id + "/follow-up").then().statusCode(400)
                .body("errors.field", hasItem("satisfaction"));
        given().contentType(ContentType.JSON).body("{\"reached\":true,\"satisfaction\":\"SATISFIED\"}")
                .post("/api/tickets/" + id + "/follow-up").then().statusCode(200).body("status", equalTo("RECEIVED"));
        given().contentType(ContentType.JSON)
                .body("{\"reached\":true,\"satisfaction\":\"DISSATISFIED\",\"comment\":\"噪音依旧\"}")
                .post("/api/tickets/" + id + "/follow-up").then().statusCode(200).body("status", equalTo("REOPENED"));

        await().atMost(Duration.ofSeconds(20)).until(() -> !probe().ofType(id, "ticket.reopened").isEmpty());
        assertEquals(1, probe().ofType(id, "ticket.reopened").size(), "only the dissatisfied call reopens");
        EventProbe.Seen reopened = probe().ofType(id, "ticket.reopened").get(0);
        assertEquals(java.util.Set.of(), EventSchemas.violations(reopened.value()));
        assertFalse(reopened.value().contains("噪音依旧"), "the caller's words stay in intake");
    }
}

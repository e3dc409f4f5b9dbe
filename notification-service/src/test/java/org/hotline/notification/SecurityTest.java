package org.hotline.notification;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.hotline.notification.NotificationRows.rows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hotline.backbone.security.Roles;
import org.hotline.backbone.testing.EndpointSecurity;
import org.hotline.backbone.testing.EventProbe;
import org.hotline.backbone.testing.InfraResource;
import org.hotline.backbone.testing.SseStream;
import org.hotline.backbone.testing.TestTokens;
import org.hotline.notification.service.ConsoleHub;
import org.hotline.notification.model.DeliveryStatus;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Who may read notifications and the console stream (issue #7): roles per endpoint, the street
 * scope of dispatchers and supervisors, a field member's own messages, staff phones masked to all
 * but admin, the one-tap link shown only to its member, and refusals in the audit log.
 */
@QuarkusTest
@WithTestResource(InfraResource.class)
@WithTestResource(ProviderServer.class)
class SecurityTest {

    /** wk-wang, the wukang command-room supervisor in the directory (application.properties). */
    static final String WANG_PHONE = "13900000003";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "notification.ack-link-base")
    String ackLinkBase;

    @Inject
    ConsoleHub console;

    @TestHTTPResource("/api/notifications/stream")
    URL stream;

    void send(String topic, String key, String event) {
        EventProbe.shared(bootstrap, "dispatch-events").send(topic, key, event);
    }

    @Test
    void everyEndpointRefusesTheRolesItMust() {
        EndpointSecurity.verify(Map.of(
                "GET /api/notifications", Set.of(Roles.DISPATCHER, Roles.SUPERVISOR, Roles.ADMIN, Roles.FIELD),
                "GET /api/notifications/stream", Set.of(Roles.DISPATCHER, Roles.SUPERVISOR),
                "GET /api/audit", Set.of(Roles.ADMIN, Roles.SUPERVISOR)));
    }


    @Test
    void aDispatcherReadsHisStreetASupervisorHisAreaAndStaffPhonesAreMaskedButForAdmin() {
        String wukang = UUID.randomUUID().toString();
        String qianqiu = UUID.randomUUID().toString();
        // level-1 escalation in wukang: an SMS and a webhook to wk-wang, and the street's console
        send("sla-events", wukang, ProducerEvents.escalated(wukang, 1, "COMMAND_ROOM_SUPERVISOR", Instant.now()));
        send("sla-events", qianqiu, ProducerEvents.sla("sla.warning", qianqiu, "RESPOND", Instant.now(), Map.of("street", "qianqiu")));
        await().atMost(Duration.ofSeconds(20)).until(() -> rows(wukang).size() == 3 && rows(qianqiu).size() == 1);
        String list = "/api/notifications";

        // the street's dispatcher: his street's rows, the supervisor's phone masked
        TestTokens.as(TestTokens.dispatcher("wk-zhang", "wukang")).queryParam("ticketId", wukang).get(list).then()
                .statusCode(200).body("", hasSize(3)).body("street", everyItem(equalTo("wukang")))
                .body("findAll { it.channel == 'SMS' }.address", contains("139****0003"))
                .body("findAll { it.channel == 'WEBHOOK' }.address", everyItem(not(containsString("?"))));
        // another street's ticket: filtered out, nothing to see
        TestTokens.as(TestTokens.dispatcher("wk-zhang", "wukang")).queryParam("ticketId", qianqiu).get(list).then()
                .statusCode(200).body("", empty());
        // a listing without a street names his own: nothing of qianqiu in it
        TestTokens.as(TestTokens.dispatcher("wk-zhang", "wukang")).queryParam("status", "SENT").queryParam("limit", 1000)
                .get(list).then().statusCode(200).body("street", everyItem(equalTo("wukang")))
                .body("ticketId", not(hasItem(qianqiu)));
        // naming another street outright is refused
        TestTokens.as(TestTokens.dispatcher("wk-zhang", "wukang")).queryParam("street", "qianqiu").get(list).then()
                .statusCode(403).contentType(startsWith("application/problem+json"))
                .body("detail", equalTo("street qianqiu is outside your area"));
        TestTokens.as(TestTokens.token("d-nostreet", Set.of(Roles.DISPATCHER), Map.of())).queryParam("ticketId", wukang)
                .get(list).then().statusCode(403);

        // a street supervisor: his street only; the county supervisor: everything, still masked
        TestTokens.as(TestTokens.supervisor("s-qq", "qianqiu")).queryParam("ticketId", wukang).get(list).then()
                .statusCode(200).body("", empty());
        TestTokens.as(TestTokens.supervisor("s-qq", "qianqiu")).queryParam("ticketId", qianqiu).get(list).then()
                .statusCode(200).body("", hasSize(1));
        TestTokens.as(TestTokens.supervisor("s-qq", "qianqiu")).queryParam("street", "wukang").get(list).then()
                .statusCode(403);
        TestTokens.as(TestTokens.supervisor("s-county", Roles.COUNTY)).queryParam("ticketId", wukang).get(list).then()
                .statusCode(200).body("", hasSize(3)).body("findAll { it.channel == 'SMS' }.address", contains("139****0003"));

        // admin troubleshoots delivery: the number in full
        TestTokens.as(TestTokens.admin("ops")).queryParam("ticketId", wukang).get(list).then()
                .statusCode(200).body("findAll { it.channel == 'SMS' }.address", contains(WANG_PHONE));
    }

    @Test
    void aFieldMemberReadsOnlyWhatWasSentToHimAndOnlyHeSeesHisOneTapLink() {
        String unit = "t-sec-" + UUID.randomUUID().toString().substring(0, 8);
        send("unit-events", unit, ProducerEvents.unitUpdated(unit, Instant.now(), List.of(
                new ProducerEvents.Member("m-1", "值班员", "13811112222", "00:00", "00:00"))));
        await().atMost(Duration.ofSeconds(20)).until(() -> io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                .call(() -> org.hotline.notification.model.UnitProjection.findById(unit) != null));
        String ticket = UUID.randomUUID().toString();
        send("dispatch-events", ticket, ProducerEvents.assignmentCreated(ticket, UUID.randomUUID().toString(), unit, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> rows(ticket).size() == 2); // the member's SMS, the unit's console row
        String list = "/api/notifications";

        String own = TestTokens.as(TestTokens.field("m-1", unit)).queryParam("ticketId", ticket).get(list).then()
                .statusCode(200).body("", hasSize(1)).body("[0].recipient", equalTo("member:" + unit + "/m-1"))
                .body("[0].address", equalTo("138****2222")).extract().path("[0].text");
        assertTrue(own.matches("(?s).*" + java.util.regex.Pattern.quote(ackLinkBase) + "[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+.*"),
                "the member sees his working link: " + own);

        // a member of another unit sees none of it; the street's dispatcher sees the row, not the link
        TestTokens.as(TestTokens.field("m-1", "other-unit")).queryParam("ticketId", ticket).get(list).then()
                .statusCode(200).body("", empty());
        String seen = TestTokens.as(TestTokens.dispatcher("wk-zhang", "wukang")).queryParam("ticketId", ticket).get(list)
                .then().statusCode(200).body("", hasSize(2))
                .extract().path("find { it.channel == 'SMS' }.text");
        assertTrue(seen.contains(ackLinkBase + "…") && !seen.contains(ackLinkBase + "e"), seen);
        TestTokens.as(TestTokens.token("f-nounit", Set.of(Roles.FIELD), Map.of())).queryParam("ticketId", ticket)
                .get(list).then().statusCode(403);
    }

    @Test
    void theConsoleStreamEndsWhenTheTokenThatOpenedItExpires() throws Exception {
        String shortLived = TestTokens.expiringIn(3, "d-short", Set.of(Roles.DISPATCHER), Map.of("street", "wukang"));
        try (SseStream s = SseStream.open(stream.toString(), shortLived)) {
            await().atMost(Duration.ofSeconds(20)).until(s::ended);
        }
    }

    @Test
    void theConsoleStreamIsTheReadersStreetAndRefusesAnother() throws Exception {
        TestTokens.as(TestTokens.dispatcher("wk-zhang", "wukang")).queryParam("street", "qianqiu")
                .get("/api/notifications/stream").then().statusCode(403).contentType(startsWith("application/problem+json"));
        TestTokens.as(TestTokens.supervisor("s-qq", "qianqiu")).queryParam("street", "wukang")
                .get("/api/notifications/stream").then().statusCode(403);

        // no ?street: the dispatcher's own street, and only it
        int before = console.subscribers();
        try (SseStream lines = SseStream.open(stream.toString(), TestTokens.dispatcher("wk-li", "wukang"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> console.subscribers() > before);
            String mine = UUID.randomUUID().toString();
            String elsewhere = UUID.randomUUID().toString();
            send("sla-events", elsewhere, ProducerEvents.sla("sla.warning", elsewhere, "RESPOND", Instant.now(), Map.of("street", "qianqiu")));
            send("sla-events", mine, ProducerEvents.sla("sla.warning", mine, "RESPOND", Instant.now(), Map.of()));
            await().atMost(Duration.ofSeconds(20)).until(() -> lines.data().stream().anyMatch(l -> l.contains(mine)));
            await().atMost(Duration.ofSeconds(20)).until(() -> rows(elsewhere, DeliveryStatus.SENT).size() == 1);
            assertTrue(lines.data().stream().noneMatch(l -> l.contains(elsewhere)), "another street's console is not shown");
        }
    }

    @Test
    void aRefusedReadIsAudited() {
        String who = "d-" + UUID.randomUUID();
        String ticket = UUID.randomUUID().toString();
        TestTokens.as(TestTokens.dispatcher(who, "wukang")).queryParam("street", "qianqiu").queryParam("ticketId", ticket)
                .get("/api/notifications").then().statusCode(403);
        // reads that pass are not actions: not audited
        TestTokens.as(TestTokens.dispatcher(who, "wukang")).queryParam("ticketId", ticket).get("/api/notifications").then()
                .statusCode(200);
        TestTokens.as(TestTokens.supervisor("auditor", Roles.COUNTY)).queryParam("user", who).get("/api/audit").then()
                .statusCode(200).body("", hasSize(1)).body("[0].status", equalTo(403))
                .body("[0].action", equalTo("GET /api/notifications")).body("[0].ticketId", equalTo(ticket))
                .body("[0].roles", equalTo("dispatcher"));
    }
}

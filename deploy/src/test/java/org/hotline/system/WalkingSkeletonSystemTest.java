package org.hotline.system;

import static org.hotline.system.Api.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.hotline.backbone.testing.EventProbe;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.hotline.backbone.testing.TestInfra;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.restassured.http.ContentType;

/**
 * The four services as separate processes from their packaged jars, on one real broker and one
 * real PostgreSQL database (a schema each): a ticket posted to intake is dispatched, clocked and
 * notified, each step visible through its own service's API.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WalkingSkeletonSystemTest {

    static String database;
    /** A broker of its own: the services start from an empty event history (TestInfra.startBroker). */
    static KafkaClusterTestKit broker;
    static ServiceProcess intake;
    static ServiceProcess dispatch;
    static ServiceProcess sla;
    static ServiceProcess notification;
    static Map<String, String> env;

    @BeforeAll
    static void startSystem() throws Exception {
        String bootstrap = (broker = TestInfra.startBroker()).bootstrapServers();
        database = TestInfra.createDatabase("hl_system");
        env = Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap, "DB_HOST", TestInfra.pgHost(), "DB_PORT",
                String.valueOf(TestInfra.pgPort()), "DB_NAME", database, "DB_USER", TestInfra.pgUser(),
                "HOTLINE_DEMO_DATA", "true");
        intake = new ServiceProcess("intake-service", env).start(Map.of());
        dispatch = new ServiceProcess("dispatch-service", env).start(Map.of());
        sla = new ServiceProcess("sla-timer-service", env).start(Map.of());
        notification = new ServiceProcess("notification-service", env).start(Map.of());
        for (ServiceProcess p : List.of(intake, dispatch, sla, notification)) {
            p.awaitReady();
        }
    }

    @AfterAll
    static void stopSystem() throws Exception {
        ServiceProcess.stopAll(java.util.Arrays.asList(notification, sla, dispatch, intake));
        if (database != null) {
            TestInfra.dropDatabase(database);
        }
        if (broker != null) {
            TestInfra.close(broker, Duration.ofSeconds(30));
        }
    }

    /** A ticket from a caller and place of its own per grid (the same caller again would be a repeat report). */
    static String postTicket(String grid) {
        return given().baseUri(intake.url()).contentType(ContentType.JSON).body("""
                {"source":"HOTLINE_12345",
                 "caller":{"name":"李四","phone":"139000011%s"},
                 "location":{"address":"武康街道千秋街 12 号","latitude":%s,"longitude":119.9690,"street":"wukang","grid":"%s"},
                 "category":"ROAD_DAMAGE","complexity":"SIMPLE",
                 "description":"人行道井盖破损"}
                """.formatted(grid.substring(grid.length() - 2), grid.endsWith("01") ? "30.5502" : "30.5391", grid))
                .post("/api/tickets").then().statusCode(201).extract().path("id");
    }

    @Test
    @Order(1)
    void aTicketFlowsThroughAllFourServices() {
        String id = postTicket("wukang-03");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().baseUri(dispatch.url())
                .get("/api/dispatch/tickets/" + id).then().statusCode(200)
                .body("stage", equalTo("DISPATCHED"))
                .body("assignments", hasSize(1))
                .body("assignments[0].unitId", startsWith("wk-")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().baseUri(sla.url())
                .get("/api/sla/tickets/" + id + "/clocks").then().statusCode(200)
                .body("stage", equalTo(List.of("RESPOND", "DISPATCH_CONTACT", "ON_SCENE", "RESOLVE")))
                .body("state[0]", equalTo("RUNNING")));
        String unit = given().baseUri(dispatch.url()).get("/api/dispatch/tickets/" + id).then()
                .extract().path("assignments[0].unitId");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().baseUri(notification.url())
                .queryParam("ticketId", id).get("/api/notifications").then().statusCode(200)
                .body("", hasSize(1)).body("[0].recipient", equalTo("unit:" + unit)));

        // the command room takes the ticket and tells the caller: the SLA clocks of those stages stop
        for (String action : List.of("take", "caller-contacted")) {
            given().baseUri(dispatch.url()).post("/api/dispatch/tickets/" + id + "/" + action).then().statusCode(200)
                    .body("takenBy", equalTo("wk-zhang"));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().baseUri(sla.url())
                .get("/api/sla/tickets/" + id + "/clocks").then().statusCode(200)
                .body("state", equalTo(List.of("MET", "MET", "RUNNING", "RUNNING"))));

        for (ServiceProcess p : List.of(intake, dispatch, sla, notification)) {
            assertEquals(200, p.status("/q/health/live"), p.name + " live");
            assertEquals(200, p.status("/q/metrics"), p.name + " metrics");
            assertEquals(200, p.status("/q/openapi"), p.name + " openapi");
        }
    }

    @Test
    @Order(2)
    void anEventCommittedButNotPublishedSurvivesAKillAndIsDeliveredOnRestart() throws Exception {
        // intake commits tickets but its relay does not publish: the moment between commit and publish
        intake.stop();
        intake = new ServiceProcess("intake-service", env).start(Map.of("HOTLINE_OUTBOX_RELAY_ENABLED", "false"));
        intake.awaitReady();
        String id = postTicket("wukang-01");
        try (EventProbe probe = new EventProbe(env.get("KAFKA_BOOTSTRAP_SERVERS"), "ticket-events")) {
            // committed, not published: the ticket's event waits in intake's outbox (no wait on a clock)
            assertEquals(1, unpublishedOutboxRows(id), "ticket.received committed but not yet published");
            assertEquals(List.of(), probe.about(id), "nothing on ticket-events before the kill");

            intake.kill();
            intake = new ServiceProcess("intake-service", env).start(Map.of());
            intake.awaitReady();

            await().atMost(Duration.ofSeconds(30)).until(() -> probe.ofType(id, "ticket.received").size() == 1);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().baseUri(dispatch.url())
                .get("/api/dispatch/tickets/" + id).then().statusCode(200).body("assignments", hasSize(1)));
        given().baseUri(intake.url()).get("/api/tickets/" + id).then().statusCode(200)
                .body("status", equalTo("RECEIVED"));
    }

    private static int unpublishedOutboxRows(String ticketId) throws Exception {
        try (Connection c = DriverManager.getConnection(TestInfra.jdbcUrl(database), TestInfra.pgUser(), TestInfra.pgPassword());
                PreparedStatement ps = c.prepareStatement("select count(*) from intake.outbox_event"
                        + " where event_key = ? and type = 'ticket.received' and published_at is null")) {
            ps.setString(1, ticketId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}

package org.hotline.sla;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hotline.backbone.security.Roles;
import org.hotline.backbone.testing.EndpointSecurity;
import org.hotline.backbone.testing.EventProbe;
import org.hotline.backbone.testing.InfraResource;
import org.hotline.backbone.testing.TestTokens;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;

/** Who may read clocks and change policies (issue #7), the audit trail and the body limit. */
@QuarkusTest
@WithTestResource(InfraResource.class)
class SecurityTest {

    private static final Set<String> READERS = Set.of(Roles.DISPATCHER, Roles.SUPERVISOR, Roles.MONITORING, Roles.ADMIN);
    private static final Set<String> ADMIN = Set.of(Roles.ADMIN);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    DataSource dataSource;

    @Test
    void everyEndpointRefusesTheRolesItMust() {
        EndpointSecurity.verify(Map.ofEntries(
                Map.entry("GET /api/sla/summary", READERS),
                Map.entry("GET /api/sla/tickets/{id}/clocks", READERS),
                Map.entry("GET /api/sla/board", READERS),
                Map.entry("GET /api/sla/policies", READERS),
                Map.entry("GET /api/sla/policies/{code}", READERS),
                Map.entry("GET /api/sla/policies/{code}/versions", READERS),
                Map.entry("PUT /api/sla/policies/{code}", ADMIN),
                Map.entry("GET /api/sla/policy-rules", READERS),
                Map.entry("PUT /api/sla/policy-rules", ADMIN),
                Map.entry("GET /api/sla/calendar", READERS),
                Map.entry("PUT /api/sla/calendar/{day}", ADMIN),
                Map.entry("DELETE /api/sla/calendar/{day}", ADMIN),
                Map.entry("GET /api/audit", Set.of(Roles.ADMIN, Roles.SUPERVISOR))));
    }


    @Test
    void aTicketsClocksAreReadOnlyWithinTheReadersStreetOrArea() {
        String ticket = UUID.randomUUID().toString(); // the example ticket is in street "wukang"
        EventProbe.shared(bootstrap, "ticket-events").send("ticket-events", ticket, Events.ticketReceived(ticket, Instant.now()));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> Api.given().get("/api/sla/tickets/" + ticket + "/clocks")
                .then().statusCode(200).body("", hasSize(4)));
        String clocks = "/api/sla/tickets/" + ticket + "/clocks";

        TestTokens.as(TestTokens.dispatcher("d-own", "wukang")).get(clocks).then().statusCode(200);
        TestTokens.as(TestTokens.supervisor("s-own", "wukang")).get(clocks).then().statusCode(200);
        TestTokens.as(TestTokens.supervisor("s-county", Roles.COUNTY)).get(clocks).then().statusCode(200);
        TestTokens.as(TestTokens.monitoring("grafana")).get(clocks).then().statusCode(200);

        TestTokens.as(TestTokens.dispatcher("d-other", "hunan")).get(clocks).then().statusCode(403)
                .contentType(startsWith("application/problem+json")).body("detail", equalTo("street wukang is outside your area"));
        TestTokens.as(TestTokens.supervisor("s-other", "hunan")).get(clocks).then().statusCode(403);
        // a dispatcher token without a street claim covers no street
        TestTokens.as(TestTokens.token("d-nostreet", Set.of(Roles.DISPATCHER), Map.of())).get(clocks).then().statusCode(403);
    }

    @Test
    void everyChangeAndEveryRefusalIsAuditedAndTheLogCannotBeRewritten() throws SQLException {
        String admin = "admin-" + UUID.randomUUID();
        // a forged X-Forwarded-For is not believed: proxy forwarding is off unless deployed behind one
        TestTokens.as(TestTokens.admin(admin)).contentType(ContentType.JSON).header("X-Forwarded-For", "10.1.2.3")
                .body(Map.of("kind", "HOLIDAY", "name", "audit test")).put("/api/sla/calendar/2031-05-01").then().statusCode(200);
        TestTokens.as(TestTokens.admin(admin)).contentType(ContentType.JSON).body(Map.of("kind", "NEVER"))
                .put("/api/sla/calendar/2031-05-02").then().statusCode(400);
        String intruder = "monitor-" + UUID.randomUUID();
        TestTokens.as(TestTokens.monitoring(intruder)).delete("/api/sla/calendar/2031-05-01").then().statusCode(403);
        // reads are not actions: not audited
        TestTokens.as(TestTokens.admin(admin)).get("/api/sla/calendar?year=2031").then().statusCode(200);

        TestTokens.as(TestTokens.supervisor("auditor", Roles.COUNTY)).queryParam("user", admin).get("/api/audit").then()
                .statusCode(200).body("", hasSize(2))
                .body("[0].action", equalTo("PUT /api/sla/calendar/{day}")).body("[0].status", equalTo(400))
                .body("[1].action", equalTo("PUT /api/sla/calendar/{day}")).body("[1].status", equalTo(200))
                .body("[1].roles", equalTo("admin")).body("[1].client", startsWith("127.0.0.1"));
        TestTokens.as(TestTokens.admin("auditor")).queryParam("user", intruder).get("/api/audit").then()
                .statusCode(200).body("", hasSize(1)).body("[0].status", equalTo(403))
                .body("[0].action", equalTo("DELETE /api/sla/calendar/{day}"));
        // a street supervisor is refused, also when his token holds monitoring too
        TestTokens.as(TestTokens.token("wall", Set.of(Roles.SUPERVISOR, Roles.MONITORING), Map.of("area", "wukang")))
                .queryParam("user", admin).get("/api/audit").then().statusCode(403);
        TestTokens.as(TestTokens.admin("auditor")).get("/api/audit").then().statusCode(400)
                .contentType(startsWith("application/problem+json"));

        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            SQLException update = assertThrows(SQLException.class,
                    () -> s.executeUpdate("update audit_log set actor = 'nobody' where actor = '" + admin + "'"));
            assertTrue(update.getMessage().contains("append-only"), update.getMessage());
            assertThrows(SQLException.class, () -> s.executeUpdate("delete from audit_log"));
            assertThrows(SQLException.class, () -> s.executeUpdate("truncate audit_log"));
        }
    }

    @Test
    void aBodyOverTheLimitIsRefusedBeforeItIsRead() {
        String big = "{\"kind\":\"HOLIDAY\",\"name\":\"" + "x".repeat(70 * 1024) + "\"}";
        TestTokens.as(TestTokens.admin("big")).contentType(ContentType.JSON).body(big).put("/api/sla/calendar/2031-06-01")
                .then().statusCode(413).contentType(startsWith("application/problem+json")).body("errors[0].field", equalTo("body"));
    }
}

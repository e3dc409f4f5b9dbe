package org.hotline.dispatch;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hotline.backbone.testing.EventProbe;
import org.hotline.backbone.testing.EventSchemas;
import org.hotline.backbone.testing.InfraResource;
import org.hotline.backbone.testing.LogCapture;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Free text that people write (a return note, an extension reason, a result note, the caller's
 * cancel reason) may carry a caller's name or number. A whole scenario runs through dispatch and
 * every log line it wrote meanwhile is read: none of that text appears.
 */
@QuarkusTest
@WithTestResource(InfraResource.class)
class PersonalDataLogTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void noFreeTextReachesTheLogs() {
        String phone = "13987654321";
        String name = "欧阳娜娜";
        try (LogCapture capture = LogCapture.start()) {
            EventProbe probe = StreetFixture.probe(bootstrap);
            String street = StreetFixture.street();
            String first = StreetFixture.unit(street, "a", "GRID_WORKER", List.of("NOISE"), 3, StreetFixture.LAT, StreetFixture.LON);
            String second = StreetFixture.unit(street, "b", "LAW_ENFORCEMENT", List.of("NOISE"), 3, StreetFixture.LAT, StreetFixture.LON);
            String ticket = StreetFixture.ticket(probe, street, "NOISE");
            String a = StreetFixture.assignmentOf(ticket, first);
            StreetFixture.field(first, a, "acknowledge", null).statusCode(200);
            StreetFixture.field(first, a, "return", Map.of("reasonCode", "NOT_OUR_RESPONSIBILITY", "note",
                    "来电人" + name + "说不归我们管，电话 " + phone)).statusCode(200);
            StreetFixture.console(street, "assignments/" + a + "/return/accept", Map.of("unitId", second)).statusCode(200);
            String b = StreetFixture.assignmentOf(ticket, second);
            StreetFixture.field(second, b, "acknowledge", null).statusCode(200);
            StreetFixture.field(second, b, "extensions", Map.of("reason", "需与" + name + "约时间 " + phone, "proposedDeadline",
                    Instant.now().plus(3, ChronoUnit.DAYS).toString())).statusCode(200);
            StreetFixture.field(second, b, "arrive", null).statusCode(200);
            StreetFixture.field(second, b, "resolve", Map.of("outcome", "SOLVED", "note", "已联系" + name + " " + phone))
                    .statusCode(200);

            // a second ticket, cancelled by the caller with a reason that names him
            String other = StreetFixture.ticket(probe, street, "NOISE");
            String cancelled = EventSchemas.example("ticket.cancelled.json")
                    .replace(TicketDispatchTest.EXAMPLE_TICKET, other)
                    .replace("6c0b1a2f-3d4e-4f5a-8b6c-7d8e9f0a1b2c", java.util.UUID.randomUUID().toString())
                    .replace("来电人撤回诉求", name + "撤回诉求，回电 " + phone);
            probe.send("ticket-events", other, cancelled);
            await().atMost(StreetFixture.WAIT).untilAsserted(() -> StreetFixture.ticketView(other).body("stage", equalTo("CANCELLED")));
            await().atMost(StreetFixture.WAIT).until(() -> capture.lines.stream().anyMatch(l -> l.contains(other) && l.contains("cancelled")));

            String all = capture.all();
            assertTrue(all.contains(other), "the scenario was logged: " + all);
            for (String secret : new String[] {phone, name}) {
                assertFalse(all.contains(secret), "'" + secret + "' appears in the logs:\n" + all);
            }
        }
    }
}

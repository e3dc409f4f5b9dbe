package org.hotline.notification;

import static org.awaitility.Awaitility.await;
import static org.hotline.notification.NotificationRows.rows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hotline.backbone.testing.EventProbe;
import org.hotline.backbone.testing.InfraResource;
import org.hotline.backbone.testing.LogCapture;
import org.hotline.notification.ProviderServer.Reply;
import org.hotline.notification.model.DeliveryStatus;
import org.hotline.notification.model.UnitProjection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The delivery path with providers that refuse and echo the number back (as SMS gateways do), and
 * an event with a caller's phone where an id belongs: every log line the service wrote meanwhile
 * holds the staff and caller numbers masked, never in full.
 */
@QuarkusTest
@WithTestResource(InfraResource.class)
@WithTestResource(ProviderServer.class)
class PersonalDataLogTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @BeforeEach
    @AfterEach
    void quiet() {
        ProviderServer.reset();
        NotificationRows.awaitQuiet();
    }

    @Test
    void noStaffOrCallerPhoneAppearsInTheLogs() {
        try (LogCapture capture = LogCapture.start()) {
            String member = "13877776666";
            String supervisor = "13900000003"; // wk-wang in the directory
            String caller = "13655554444";
            // the providers refuse every number, quoting it back
            ProviderServer.behave(r -> {
                String phone = r.json().path("phone").asText(r.body().contains("wk-wang") ? supervisor : "");
                return new Reply(400, 0, "{\"error\":\"number " + phone + " is not reachable\"}");
            });
            String unit = "t-log-" + UUID.randomUUID().toString().substring(0, 8);
            EventProbe probe = EventProbe.shared(bootstrap, "notification-service.dlq");
            probe.send("unit-events", unit, ProducerEvents.unitUpdated(unit, Instant.now(), List.of(
                    new ProducerEvents.Member("m-1", "值班员", member, "00:00", "00:00"))));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> QuarkusTransaction.requiringNew().call(() -> UnitProjection.findById(unit) != null));

            String assigned = UUID.randomUUID().toString();
            probe.send("dispatch-events", assigned, ProducerEvents.assignmentCreated(assigned, UUID.randomUUID().toString(), unit, Instant.now()));
            String escalated = UUID.randomUUID().toString();
            probe.send("sla-events", escalated, ProducerEvents.escalated(escalated, 1, "COMMAND_ROOM_SUPERVISOR", Instant.now()));
            // a producer bug: the caller's phone where the ticket id belongs -> dead letter
            String poison = ProducerEvents.sla("sla.warning", caller, "RESPOND", Instant.now(), java.util.Map.of());
            probe.send("dispatch-events", "poison-" + caller, poison);

            await().atMost(Duration.ofSeconds(30)).until(() -> rows(assigned, DeliveryStatus.DEAD).size() == 1
                    && rows(escalated, DeliveryStatus.DEAD).size() == 2 && !probe.about("poison-" + caller).isEmpty()
                    && capture.lines.stream().filter(l -> l.contains("is DEAD")).count() >= 3);

            String all = capture.all();
            assertTrue(all.contains("138****6666"), "the member's number is logged masked: " + all);
            assertTrue(all.contains("139****0003"), "the supervisor's number is logged masked: " + all);
            for (String secret : new String[] {member, supervisor, caller}) {
                assertFalse(all.contains(secret), "'" + secret + "' appears in the logs:\n" + all);
            }
        }
    }
}

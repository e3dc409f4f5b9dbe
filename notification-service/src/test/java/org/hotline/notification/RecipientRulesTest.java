package org.hotline.notification;

import org.hotline.backbone.testing.MovableClock;

import static org.awaitility.Awaitility.await;
import static org.hotline.notification.NotificationRows.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hotline.backbone.security.SignedToken;
import org.hotline.backbone.testing.EventProbe;
import org.hotline.backbone.testing.InfraResource;
import org.hotline.notification.ProviderServer.Received;
import org.hotline.notification.service.WebhookSender;
import org.hotline.notification.model.DeliveryStatus;
import org.hotline.notification.model.Notification;
import org.hotline.notification.model.TicketAssignment;
import org.hotline.notification.model.UnitProjection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Who is told: the configured rules, exactly the members dispatch names on the order (its duty
 * roster decides; notification has no roster rule), the escalation ladder's supervisors, the one-tap link.
 */
@QuarkusTest
@WithTestResource(InfraResource.class)
@WithTestResource(ProviderServer.class)
class RecipientRulesTest {

    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    /** The documented dev default of hotline.ack-token.secret, which dispatch-service shares. */
    String ackSecret = "dev-ack-secret-change-me";

    @ConfigProperty(name = "notification.ack-link-base")
    String ackLinkBase;

    @ConfigProperty(name = "notification.webhook.secret")
    String webhookSecret;

    @Inject
    MovableClock clock;

    String unit;

    @BeforeEach
    void aUnitWithADayShiftANightShiftAndAMemberWithoutShift() {
        NotificationRows.awaitQuiet();
        ProviderServer.reset();
        unit = "t-unit-" + UUID.randomUUID().toString().substring(0, 8);
        send("unit-events", unit, ProducerEvents.unitUpdated(unit, Instant.now(), List.of(
                new ProducerEvents.Member("m-day", "白班员", "13811110001", "08:00", "20:00"),
                new ProducerEvents.Member("m-night", "夜班员", "13811110002", "20:00", "08:00"),
                new ProducerEvents.Member("m-none", "无班员", "13811110003", null, null))));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> QuarkusTransaction.requiringNew().call(() -> UnitProjection.findById(unit) != null));
    }

    @AfterEach
    void realTime() {
        clock.reset();
    }

    void send(String topic, String key, String event) {
        EventProbe.shared(bootstrap, "dispatch-events").send(topic, key, event);
    }

    /** Today's (or yesterday's) hh:00 in Shanghai, in the past, so moving the clock there never skips the worker's schedule ahead. */
    static Instant lastShanghai(int hour) {
        ZonedDateTime now = ZonedDateTime.now(SHANGHAI);
        ZonedDateTime t = now.withHour(hour).withMinute(0).withSecond(0).withNano(0);
        return (t.isAfter(now) ? t.minusDays(1) : t).toInstant();
    }

    List<Received> sms(String ticket) {
        return ProviderServer.at("/sms").stream().filter(r -> r.body().contains(ticket.substring(0, 8))).toList();
    }

    Set<String> recipients(String ticket) {
        return rows(ticket).stream().map(n -> n.recipient + " " + n.channel).collect(Collectors.toSet());
    }

    /**
     * The defect of issue #16: notification decided who is on duty by its own copy of the roster, so
     * a unit dispatch auto-dispatched "on duty by status" (no shifts) had its order told to nobody.
     * Now the members told are exactly those the event names, whatever the shifts say: at 10:00 the
     * day shift would be on duty by the roster, but dispatch named the night member.
     */
    @Test
    void theMembersToldAreExactlyThoseTheOrderNames() {
        clock.set(lastShanghai(10));
        String ticket = UUID.randomUUID().toString();
        String assignment = UUID.randomUUID().toString();
        send("dispatch-events", ticket, ProducerEvents.assignmentCreated(ticket, assignment, unit, clock.instant(),
                List.of("m-night")));

        await().atMost(Duration.ofSeconds(20)).until(() -> rows(ticket, DeliveryStatus.SENT).size() == 2);
        assertEquals(Set.of("member:" + unit + "/m-night SMS", "unit:" + unit + " CONSOLE"), recipients(ticket));
        List<Received> sent = sms(ticket);
        assertEquals(1, sent.size(), "one SMS, to the member the order names");
        Received sms = sent.get(0);
        assertEquals("13811110002", sms.json().path("phone").asText());
        assertEquals("SMS_DISPATCH", sms.json().path("templateId").asText());
        String text = sms.json().path("text").asText();
        assertTrue(text.startsWith("【派单】武康街道噪音扰民：武康街道英溪北路 88 号 3 幢"), text);
        assertTrue(text.contains("来电人138****5678"), text);

        // the one-tap link: base + a token dispatch can verify with the shared secret
        String link = sms.json().path("params").path("link").asText();
        assertTrue(link.startsWith(ackLinkBase), link);
        assertTrue(text.contains(link), text);
        Map<String, String> claims = SignedToken.verify(ackSecret.getBytes(StandardCharsets.UTF_8),
                link.substring(ackLinkBase.length()), clock.instant());
        assertEquals(assignment, claims.get("assignment"));
        assertEquals("m-night", claims.get("member"));
        long ttl = Long.parseLong(claims.get("exp")) - clock.instant().getEpochSecond();
        assertTrue(ttl > 25 * 60 && ttl <= 30 * 60, "expires in 30 minutes: " + ttl);

        // two named (the member without a shift among them: dispatch called the unit in): both told
        String both = UUID.randomUUID().toString();
        send("dispatch-events", both, ProducerEvents.assignmentCreated(both, UUID.randomUUID().toString(), unit, clock.instant(),
                List.of("m-day", "m-none")));
        await().atMost(Duration.ofSeconds(20)).until(() -> rows(both, DeliveryStatus.SENT).size() == 3);
        assertEquals(Set.of("member:" + unit + "/m-day SMS", "member:" + unit + "/m-none SMS", "unit:" + unit + " CONSOLE"),
                recipients(both));
        // none named (a unit without members): only the console
        String none = UUID.randomUUID().toString();
        send("dispatch-events", none, ProducerEvents.assignmentCreated(none, UUID.randomUUID().toString(), unit, clock.instant(),
                List.of()));
        await().atMost(Duration.ofSeconds(20)).until(() -> rows(none, DeliveryStatus.SENT).size() == 1);
        assertEquals(Set.of("unit:" + unit + " CONSOLE"), recipients(none));
    }

    /**
     * An assignment.created published before dispatch named the members (still on the topic when
     * this version starts): notification has no roster to fall back on, so every member is told.
     */
    @Test
    void anOrderFromBeforeTheFieldTellsEveryMemberOfTheUnit() {
        clock.set(lastShanghai(10));
        String ticket = UUID.randomUUID().toString();
        send("dispatch-events", ticket, ProducerEvents.assignmentCreated(ticket, UUID.randomUUID().toString(), unit, clock.instant()));
        await().atMost(Duration.ofSeconds(20)).until(() -> rows(ticket, DeliveryStatus.SENT).size() == 4);
        assertEquals(Set.of("member:" + unit + "/m-day SMS", "member:" + unit + "/m-night SMS",
                "member:" + unit + "/m-none SMS", "unit:" + unit + " CONSOLE"), recipients(ticket));
    }

    @Test
    void theProducersDocumentedExamplesOfEveryConsumedTypeAreUnderstood() {
        clock.set(lastShanghai(2));
        String ticket = UUID.randomUUID().toString();
        String exampleUnit = "t-ex-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> ids = Map.of("0b6f7c1e-2a44-4d6b-9f3e-8c2d1a5b7e90", ticket, "wk-grid-03", exampleUnit,
                "3c9d2e1f-4a5b-4c6d-8e7f-9a0b1c2d3e4f", UUID.randomUUID().toString());
        // the example unit: member m1 on a 24-hour shift (00:00-00:00) every day, m2 on weekdays 08:30-17:30
        send("unit-events", exampleUnit, ProducerEvents.example("unit.updated", clock.instant(), ids));
        await().atMost(Duration.ofSeconds(20))
                .until(() -> QuarkusTransaction.requiringNew().call(() -> UnitProjection.findById(exampleUnit) != null));

        List<String> types = List.of("assignment.created", "assignment.ack-lapsed", "assignment.returned",
                "ticket.ping-pong", "extension.requested", "escalation.action-taken");
        // the repeat report while the example unit still works the order: the examples of ack-lapsed and
        // returned are about the same assignment and take the ticket off the unit
        send("dispatch-events", ticket, ProducerEvents.example("assignment.created", clock.instant(), ids));
        await().atMost(Duration.ofSeconds(20)).until(() -> rows(ticket).stream().anyMatch(n -> n.eventType.equals("assignment.created")));
        send("ticket-events", ticket, ProducerEvents.example("ticket.repeat-reported", clock.instant(), ids));
        await().atMost(Duration.ofSeconds(20)).until(() -> rows(ticket).stream().anyMatch(n -> n.eventType.equals("ticket.repeat-reported")));
        for (String type : types.subList(1, types.size())) {
            send("dispatch-events", ticket, ProducerEvents.example(type, clock.instant(), ids));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> rows(ticket).stream().map(n -> n.eventType)
                .collect(Collectors.toSet()).size() == types.size() + 1);
        NotificationRows.awaitQuiet();
        assertTrue(rows(ticket).stream().allMatch(n -> n.status == DeliveryStatus.SENT));
        // the example order names both members; the repeat report reaches the same members through the projection
        assertEquals(List.of("assignment.created member:" + exampleUnit + "/" + exampleUnit + "-m1",
                "assignment.created member:" + exampleUnit + "/" + exampleUnit + "-m2",
                "ticket.repeat-reported member:" + exampleUnit + "/" + exampleUnit + "-m1",
                "ticket.repeat-reported member:" + exampleUnit + "/" + exampleUnit + "-m2"),
                rows(ticket).stream().filter(n -> n.channel.name().equals("SMS") && n.recipient.startsWith("member:"))
                        .map(n -> n.eventType + " " + n.recipient).toList());
        assertTrue(EventProbe.shared(bootstrap, "notification-service.dlq").about(ticket).isEmpty(), "nothing dead-lettered");
    }

    @Test
    void eachEscalationLevelReachesThePeopleItNamesSignedAndInTheirLanguage() {
        String ticket = UUID.randomUUID().toString();
        send("sla-events", ticket, ProducerEvents.escalated(ticket, 2, "STREET_LEADER", Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> rows(ticket, DeliveryStatus.SENT).size() == 3);
        assertEquals(Set.of("person:wk-chen SMS", "person:wk-chen WEBHOOK", "room:wukang CONSOLE"), recipients(ticket));
        Notification leader = rows(ticket).stream().filter(n -> n.recipient.equals("person:wk-chen")).findFirst().orElseThrow();
        assertTrue(leader.text.startsWith("【督办·2级】陈静：武康街道噪音扰民工单" + ticket.substring(0, 8) + "「响应」超时未办"),
                leader.text);

        // level 3: the county centre (no street: county-wide), whose person reads English
        send("sla-events", ticket, ProducerEvents.escalated(ticket, 3, "COUNTY_CENTRE", Instant.now()));
        await().atMost(Duration.ofSeconds(20)).until(() -> rows(ticket, DeliveryStatus.SENT).size() == 6);
        assertTrue(recipients(ticket).containsAll(Set.of("person:county-zhao SMS", "person:county-zhao WEBHOOK")));
        Notification county = rows(ticket).stream().filter(n -> n.recipient.equals("person:county-zhao")).findFirst().orElseThrow();
        assertTrue(county.text.startsWith("[Escalation level 3] 赵敏: wukang NOISE ticket " + ticket.substring(0, 8)), county.text);
        assertFalse(recipients(ticket).stream().anyMatch(r -> r.startsWith("person:wk-wang")),
                "the level-1 supervisor is not told of levels 2 and 3");

        // every webhook request carries a signature over timestamp + body that the receiver can check
        List<Received> hooks = ProviderServer.at("/webhook").stream().filter(r -> r.body().contains(ticket)).toList();
        assertEquals(2, hooks.size());
        for (Received hook : hooks) {
            String ts = hook.header(WebhookSender.TIMESTAMP);
            assertTrue(Math.abs(Long.parseLong(ts) - Instant.now().getEpochSecond()) < 60, "fresh timestamp " + ts);
            assertEquals("sha256=" + WebhookSender.sign(webhookSecret.getBytes(StandardCharsets.UTF_8), ts, hook.body()),
                    hook.header(WebhookSender.SIGNATURE));
            assertEquals("sla.escalated", hook.json().path("eventType").asText());
            assertEquals(ticket, hook.json().path("data").path("ticketId").asText());
        }
    }

    @Test
    void aWarningGoesToTheStreetsDispatchersOnConsoleAndWebhook() {
        String ticket = UUID.randomUUID().toString();
        send("sla-events", ticket, ProducerEvents.sla("sla.warning", ticket, "ON_SCENE", Instant.now(), Map.of()));
        await().atMost(Duration.ofSeconds(20)).until(() -> rows(ticket, DeliveryStatus.SENT).size() == 3);
        assertEquals(Set.of("room:wukang CONSOLE", "person:wk-zhang WEBHOOK", "person:wk-li WEBHOOK"), recipients(ticket));
        assertTrue(rows(ticket).get(0).text.startsWith("【预警】武康街道噪音扰民工单"), rows(ticket).get(0).text);
        assertTrue(rows(ticket).get(0).text.contains("「到场」"), rows(ticket).get(0).text);
    }

    @Test
    void aRepeatReportReachesTheHandlingUnitsMembersOnDutyAndTheCommandRoom() {
        clock.set(lastShanghai(10));
        String ticket = UUID.randomUUID().toString();
        send("dispatch-events", ticket, ProducerEvents.assignmentCreated(ticket, UUID.randomUUID().toString(), unit, clock.instant(),
                List.of("m-day")));
        await().atMost(Duration.ofSeconds(20)).until(() -> rows(ticket, DeliveryStatus.SENT).size() == 2);

        send("ticket-events", ticket, ProducerEvents.repeatReported(ticket, 2, clock.instant()));
        await().atMost(Duration.ofSeconds(20)).until(() -> rows(ticket, DeliveryStatus.SENT).size() == 6);
        Set<String> told = rows(ticket).stream().filter(n -> n.eventType.equals("ticket.repeat-reported"))
                .map(n -> n.recipient + " " + n.channel).collect(Collectors.toSet());
        assertEquals(Set.of("member:" + unit + "/m-day SMS", "room:wukang CONSOLE", "person:wk-zhang WEBHOOK",
                "person:wk-li WEBHOOK"), told);
        Notification room = rows(ticket).stream()
                .filter(n -> n.eventType.equals("ticket.repeat-reported") && n.channel.name().equals("CONSOLE")).findFirst()
                .orElseThrow();
        assertTrue(room.text.startsWith("【重复件】武康街道噪音扰民工单" + ticket.substring(0, 8) + "已被第2次重复反映（同一来电号码），地址：武康街道英溪北路"),
                room.text);
    }

    @Test
    void pingPongAndALapsedAcknowledgementTellTheCommandRoom() {
        String ticket = UUID.randomUUID().toString();
        send("dispatch-events", ticket, ProducerEvents.dispatch("ticket.ping-pong", ticket, Instant.now(),
                Map.of("returnCount", 3, "threshold", 3)));
        send("dispatch-events", ticket, ProducerEvents.dispatch("assignment.ack-lapsed", ticket, Instant.now(),
                Map.of("assignmentId", UUID.randomUUID().toString(), "unitId", unit, "unitType", "GRID_WORKER",
                        "role", "LEAD", "lapsedAt", Instant.now().toString(), "nextUnitId", "wk-police")));
        await().atMost(Duration.ofSeconds(20)).until(() -> rows(ticket, DeliveryStatus.SENT).size() == 6);
        assertEquals(Set.of("room:wukang CONSOLE", "person:wk-wang SMS", "person:wk-wang WEBHOOK",
                "person:wk-zhang WEBHOOK", "person:wk-li WEBHOOK"), recipients(ticket));
        List<String> console = rows(ticket).stream().filter(n -> n.channel.name().equals("CONSOLE")).map(n -> n.text).toList();
        assertEquals(2, console.size());
        assertEquals("【反复退单】武康街道工单" + ticket.substring(0, 8) + "已被退回3次（阈值3），请指挥室协调处置。", console.get(0));
        assertEquals("【超时未签收】武康街道工单" + ticket.substring(0, 8) + "：网格员 测试网格未在时限内签收，已转派wk-police。",
                console.get(1));
    }

    /** An order the unit handled, then an SLA breach of the ticket: is any member of the unit told? */
    boolean breachReachesTheUnit(String ticket) {
        send("sla-events", ticket, ProducerEvents.sla("sla.breached", ticket, "RESPOND", clock.instant(), Map.of()));
        await().atMost(Duration.ofSeconds(20)).until(() -> rows(ticket).stream()
                .filter(n -> n.eventType.equals("sla.breached") && n.status == DeliveryStatus.SENT).count() >= 3);
        NotificationRows.awaitQuiet();
        return rows(ticket).stream().anyMatch(n -> n.eventType.equals("sla.breached") && n.recipient.startsWith("member:"));
    }

    boolean active(String assignment) {
        return QuarkusTransaction.requiringNew()
                .call(() -> TicketAssignment.<TicketAssignment>findById(UUID.fromString(assignment)).active);
    }

    @Test
    void aUnitWhoseOfferLapsedWithoutSuccessorIsNotToldOfTheTicketsBreach() {
        clock.set(lastShanghai(10));
        String ticket = UUID.randomUUID().toString();
        String assignment = UUID.randomUUID().toString();
        send("dispatch-events", ticket, ProducerEvents.assignmentCreated(ticket, assignment, unit, clock.instant(),
                List.of("m-day")));
        await().atMost(Duration.ofSeconds(20)).until(() -> rows(ticket, DeliveryStatus.SENT).size() == 2);
        send("dispatch-events", ticket, ProducerEvents.dispatch("assignment.ack-lapsed", ticket, clock.instant(),
                Map.of("assignmentId", assignment, "unitId", unit, "unitType", "GRID_WORKER", "role", "LEAD",
                        "lapsedAt", clock.instant().toString(), "ackDeadline", clock.instant().toString())));
        await().atMost(Duration.ofSeconds(20)).until(() -> rows(ticket).stream()
                .anyMatch(n -> n.eventType.equals("assignment.ack-lapsed")));

        assertFalse(breachReachesTheUnit(ticket), "the lapsed unit's members are not told");
        assertEquals(1, sms(ticket).size(), "the only SMS to the unit is its (lapsed) dispatch");
        assertEquals(Set.of("room:wukang CONSOLE", "person:wk-zhang WEBHOOK", "person:wk-li WEBHOOK"),
                rows(ticket).stream().filter(n -> n.eventType.equals("sla.breached"))
                        .map(n -> n.recipient + " " + n.channel).collect(Collectors.toSet()));
    }

    @Test
    void aReturnedOrderStopsTheUnitsTicketNoticesUntilTheReturnIsRejected() {
        clock.set(lastShanghai(10));
        String ticket = UUID.randomUUID().toString();
        String assignment = UUID.randomUUID().toString();
        send("dispatch-events", ticket, ProducerEvents.assignmentCreated(ticket, assignment, unit, clock.instant(),
                List.of("m-day")));
        await().atMost(Duration.ofSeconds(20)).until(() -> rows(ticket, DeliveryStatus.SENT).size() == 2);
        Map<String, Object> order = Map.of("assignmentId", assignment, "unitId", unit, "unitType", "GRID_WORKER",
                "role", "LEAD", "reasonCode", "NOT_OUR_JURISDICTION");
        Map<String, Object> returned = new java.util.HashMap<>(order);
        returned.put("returnCount", 1);
        send("dispatch-events", ticket, ProducerEvents.dispatch("assignment.returned", ticket, clock.instant(), returned));
        await().atMost(Duration.ofSeconds(20)).until(() -> !active(assignment));
        assertFalse(breachReachesTheUnit(ticket), "a returned order is no longer the unit's");

        send("dispatch-events", ticket, ProducerEvents.dispatch("return.rejected", ticket, clock.instant(), order));
        await().atMost(Duration.ofSeconds(20)).until(() -> active(assignment));
        send("sla-events", ticket, ProducerEvents.sla("sla.breached", ticket, "RESOLVE", clock.instant(), Map.of()));
        // the first breach told no member, so this row is the second breach's: the unit works the order again
        await().atMost(Duration.ofSeconds(20)).until(() -> rows(ticket).stream()
                .anyMatch(n -> n.eventType.equals("sla.breached") && n.recipient.equals("member:" + unit + "/m-day")));
    }
}

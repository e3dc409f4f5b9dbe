package org.hotline.sla;

import static org.hotline.sla.Api.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hotline.backbone.testing.EventProbe;
import org.hotline.backbone.testing.EventSchemas;
import org.hotline.backbone.testing.InfraResource;
import org.hotline.sla.model.ClockState;
import org.hotline.sla.model.StageClock;
import org.hotline.sla.model.StageName;
import org.hotline.sla.model.Timer;
import org.hotline.sla.model.TimerKind;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * The test profile runs 20x faster: 13830 breaches at 3, 9, 24 and 90 s; RESPOND warns at 2.4 s and
 * escalates at 3 s (level 1), 9 s (level 2) and 18 s (level 3).
 */
@QuarkusTest
@WithTestResource(InfraResource.class)
class TimerEngineTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    EntityManager em;

    EventProbe probe() {
        return EventProbe.shared(bootstrap, "sla-events");
    }

    String newTicket(Instant reported) {
        String ticket = UUID.randomUUID().toString();
        probe().send("ticket-events", ticket, Events.ticketReceived(ticket, reported));
        await().atMost(Duration.ofSeconds(20)).until(() -> QuarkusTransaction.requiringNew()
                .call(() -> StageClock.count("ticketId", UUID.fromString(ticket))) == 4);
        return ticket;
    }

    List<String> slaEvents(String ticket, String stage) {
        return probe().about(ticket).stream().filter(s -> stage.equals(s.json().path("data").path("stage").asText()))
                .map(s -> s.type() + (s.json().path("data").has("level") ? ":" + s.json().path("data").path("level").asInt() : ""))
                .sorted().toList();
    }

    @Test
    void anUnmetStageWarnsBreachesAndClimbsItsLadderExactlyOnceEach() {
        String ticket = newTicket(Instant.now());

        await().atMost(Duration.ofSeconds(30)).until(() -> slaEvents(ticket, "RESPOND").contains("sla.escalated:2"));
        assertEquals(List.of("sla.breached", "sla.escalated:1", "sla.escalated:2", "sla.warning"),
                slaEvents(ticket, "RESPOND"));
        for (EventProbe.Seen e : probe().about(ticket)) {
            assertEquals(Set.of(), EventSchemas.violations(e.value()), e.value());
            assertEquals(ticket, e.key());
        }
        EventProbe.Seen l1 = probe().ofType(ticket, "sla.escalated").stream()
                .filter(e -> e.json().path("data").path("level").asInt() == 1).findFirst().orElseThrow();
        assertEquals("COMMAND_ROOM_SUPERVISOR", l1.json().path("data").path("recipient").asText());

        given().get("/api/sla/tickets/" + ticket + "/clocks").then().statusCode(200)
                .body("[0].state", equalTo("BREACHED")).body("[0].light", equalTo("RED"))
                .body("[0].escalationLevel", equalTo(2));
    }

    /** Reported a little ahead, so a test's "met in time" never races the 3 s RESPOND deadline. */
    static Instant soon() {
        return Instant.now().plusSeconds(3).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    @Test
    void meetingAStageStopsItsLadderAndAStageMetLateCountsAsBreached() {
        Instant reported = soon();
        String ticket = newTicket(reported);
        probe().send("dispatch-events", ticket, Events.stageEnded(ticket, "RESPOND", reported.plusMillis(300)));
        await().atMost(Duration.ofSeconds(30)).until(() -> slaEvents(ticket, "DISPATCH_CONTACT").contains("sla.escalated:1"));
        // DISPATCH_CONTACT breached at 9 s; it is met now, before level 2 (at 18 s)
        probe().send("dispatch-events", ticket, Events.stageEnded(ticket, "DISPATCH_CONTACT", Instant.now()));

        await().atMost(Duration.ofSeconds(20)).until(() -> slaEvents(ticket, "DISPATCH_CONTACT").contains("sla.stage-met"));
        assertEquals(List.of("sla.stage-met"), slaEvents(ticket, "RESPOND"), "met in time: no warning, no breach");
        EventProbe.Seen metLate = probe().ofType(ticket, "sla.stage-met").stream()
                .filter(e -> e.json().path("data").path("stage").asText().equals("DISPATCH_CONTACT")).findFirst()
                .orElseThrow();
        assertEquals(false, metLate.json().path("data").path("onTime").asBoolean());

        // the rest of its ladder is cancelled, never fired
        List<Timer> ladder = QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                "select t from Timer t, StageClock c where t.clockId = c.id and c.ticketId = :t and c.stage = :s"
                        + " and t.kind = :k and t.level > 1", Timer.class)
                .setParameter("t", UUID.fromString(ticket)).setParameter("s", StageName.DISPATCH_CONTACT)
                .setParameter("k", TimerKind.ESCALATION).getResultList());
        assertEquals(2, ladder.size());
        assertTrue(ladder.stream().allMatch(t -> t.cancelled && t.firedAt != null), "levels 2 and 3 cancelled");
        assertEquals(List.of("sla.breached", "sla.escalated:1", "sla.stage-met", "sla.warning"),
                slaEvents(ticket, "DISPATCH_CONTACT"));
        given().get("/api/sla/tickets/" + ticket + "/clocks").then()
                .body("[0].state", equalTo("MET")).body("[1].state", equalTo("MET_LATE"))
                .body("[1].light", equalTo("RED"));
    }

    @Test
    void timersThatFellDueWhileNothingRanFireOnceRecordedAsLate() {
        // a ticket reported 60 s ago reaches us only now, as after an outage: the RESPOND,
        // DISPATCH_CONTACT and ON_SCENE timers are all overdue
        String ticket = newTicket(Instant.now().minusSeconds(60));

        await().atMost(Duration.ofSeconds(20)).until(() -> slaEvents(ticket, "DISPATCH_CONTACT").contains("sla.escalated:2"));
        EventProbe.Seen breach = probe().ofType(ticket, "sla.breached").stream()
                .filter(e -> e.json().path("data").path("stage").asText().equals("RESPOND")).findFirst().orElseThrow();
        assertTrue(breach.json().path("data").path("late").asBoolean(), breach.value());
        assertTrue(breach.json().path("data").path("latenessMs").asLong() >= 50_000, breach.value());
        assertEquals(1, slaEvents(ticket, "RESPOND").stream().filter("sla.breached"::equals).count());
        // the engine keeps the record of each firing
        Timer respondBreach = QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                "select t from Timer t, StageClock c where t.clockId = c.id and c.ticketId = :t and c.stage = :s and t.kind = :k",
                Timer.class).setParameter("t", UUID.fromString(ticket)).setParameter("s", StageName.RESPOND)
                .setParameter("k", TimerKind.BREACH).getSingleResult());
        assertTrue(respondBreach.latenessMs >= 50_000);
    }

    @Test
    void aCancelledTicketStopsEveryClock() {
        String ticket = newTicket(soon());
        probe().send("ticket-events", ticket, Events.example("ticket.cancelled", ticket, Map.of()));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/sla/tickets/" + ticket + "/clocks")
                .then().body("state", equalTo(List.of("STOPPED", "STOPPED", "STOPPED", "STOPPED"))));
        // nothing is left to fire: every timer of the ticket is closed as cancelled
        List<Timer> timers = QuarkusTransaction.requiringNew().call(() -> Timer.<Timer>list("ticketId",
                UUID.fromString(ticket)));
        assertEquals(20, timers.size());
        assertTrue(timers.stream().allMatch(t -> t.cancelled && t.firedAt != null), "all cancelled");
        assertTrue(probe().ofType(ticket, "sla.breached").isEmpty());
    }

    @Test
    void anApprovedExtensionMovesTheDeadlineAndKeepsTheOldOne() {
        // PostgreSQL keeps microseconds
        Instant reported = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        String ticket = newTicket(reported);
        Instant extended = reported.plusSeconds(200);
        probe().send("dispatch-events", ticket, Events.example("extension.approved", ticket,
                Map.of("stage", "RESOLVE", "newDeadline", extended)));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/sla/tickets/" + ticket + "/clocks")
                .then().body("[3].deadline", equalTo(extended.toString())));
        Object[] adjustment = QuarkusTransaction.requiringNew().call(() -> (Object[]) em.createNativeQuery(
                "select a.old_deadline, a.actor, a.reason from clock_adjustment a join stage_clock c on c.id = a.clock_id"
                        + " where c.ticket_id = ?1").setParameter(1, UUID.fromString(ticket)).getSingleResult());
        Object old = adjustment[0];
        assertEquals(reported.plusSeconds(90),
                old instanceof java.time.OffsetDateTime o ? o.toInstant() : (Instant) old);
        assertEquals("supervisor:wk-li", adjustment[1]);
    }

    @Test
    void anExtensionOfAStageAlreadyBreachedNeverBreachesItAgainAndStopsItsLadder() {
        String ticket = newTicket(Instant.now());
        await().atMost(Duration.ofSeconds(20)).until(() -> slaEvents(ticket, "RESPOND").contains("sla.escalated:1"));
        Instant extended = Instant.now().plusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        probe().send("dispatch-events", ticket, Events.example("extension.approved", ticket,
                Map.of("stage", "RESPOND", "newDeadline", extended)));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/sla/tickets/" + ticket + "/clocks")
                .then().body("[0].deadline", equalTo(extended.toString())).body("[0].state", equalTo("BREACHED")));
        // level 2 was due 9 s after receipt: it never comes, and the breach is not published again
        await().during(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(12))
                .until(() -> !slaEvents(ticket, "RESPOND").contains("sla.escalated:2"));
        assertEquals(List.of("sla.breached", "sla.escalated:1", "sla.warning"), slaEvents(ticket, "RESPOND"));
    }

    @Test
    void theOnTimeRateFromTheMetricsEqualsTheRecountFromTheDatabase() {
        Instant reported = soon();
        String met = newTicket(reported);
        probe().send("dispatch-events", met, Events.stageEnded(met, "RESPOND", reported.plusMillis(200)));
        String breached = newTicket(Instant.now());
        await().atMost(Duration.ofSeconds(20)).until(() -> !probe().ofType(breached, "sla.breached").isEmpty()
                && !probe().ofType(met, "sla.stage-met").isEmpty());

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Map<String, Long> fromDb = QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                    "select c.outcome, count(c) from StageClock c where c.outcome is not null group by c.outcome",
                    Object[].class).getResultList().stream()
                    .collect(Collectors.toMap(r -> r[0].toString().toLowerCase(), r -> (Long) r[1])));
            String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
            Map<String, Long> fromMetrics = metrics.lines().filter(l -> l.startsWith("sla_stage_outcome_total{"))
                    .collect(Collectors.groupingBy(l -> l.replaceAll(".*outcome=\"([a-z_]+)\".*", "$1"),
                            Collectors.summingLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))));
            assertEquals(fromDb, fromMetrics);
            assertTrue(fromDb.getOrDefault("on_time", 0L) > 0 && fromDb.getOrDefault("breached", 0L) > 0, fromDb.toString());
        });
        // the console's summary is the same recount, per street and stage
        given().get("/api/sla/summary?by=street").then().statusCode(200)
                .body("find { it.group == 'wukang' && it.stage == 'RESPOND' }.onTime", org.hamcrest.Matchers.greaterThan(0))
                .body("find { it.group == 'wukang' && it.stage == 'RESPOND' }.breached", org.hamcrest.Matchers.greaterThan(0));
        given().get("/api/sla/summary?by=unitType").then().statusCode(200).body("group", org.hamcrest.Matchers.hasItem("none"));
        given().get("/api/sla/summary?by=weather").then().statusCode(400).body("errors[0].field", equalTo("by"));
        assertEquals(ClockState.MET, QuarkusTransaction.requiringNew().call(() -> StageClock
                .<StageClock>find("ticketId = ?1 and stage = ?2", UUID.fromString(met), StageName.RESPOND).firstResult().state));
    }

    @Test
    void onTimeRatesAreReportedPerLeadUnitType() {
        Instant reported = soon();
        String ticket = newTicket(reported);
        probe().send("dispatch-events", ticket, Events.example("assignment.created", ticket,
                Map.of("unitType", "MEDIATION", "role", "LEAD")));
        probe().send("dispatch-events", ticket, Events.stageEnded(ticket, "RESPOND", reported.plusMillis(200)));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/sla/summary?by=unitType")
                .then().statusCode(200)
                .body("find { it.group == 'MEDIATION' && it.stage == 'RESPOND' }.onTime", equalTo(1))
                .body("find { it.group == 'MEDIATION' && it.stage == 'RESPOND' }.onTimeRate", equalTo(1.0f)));
    }

    @Test
    void aReopenedTicketRunsTheStagesItsPolicyRestartsAsANewRound() {
        Instant reported = soon();
        String ticket = newTicket(reported);
        // resolved at once: every stage met on time
        probe().send("dispatch-events", ticket, Events.stageEnded(ticket, "RESOLVE", reported.plusMillis(500)));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/sla/tickets/" + ticket + "/clocks")
                .then().body("state", equalTo(List.of("MET", "MET", "MET", "MET"))));

        Instant reopened = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        probe().send("ticket-events", ticket, Events.example("ticket.reopened", ticket, Map.of("reopenedAt", reopened)));

        // 13830 restarts RESOLVE on reopen: 30 minutes (90 s here) from the reopening
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/sla/tickets/" + ticket + "/clocks")
                .then().body("stage", equalTo(List.of("RESPOND", "DISPATCH_CONTACT", "ON_SCENE", "RESOLVE", "RESOLVE")))
                .body("round", equalTo(List.of(0, 0, 0, 0, 1)))
                .body("state", equalTo(List.of("MET", "MET", "MET", "MET", "RUNNING")))
                .body("[4].deadline", equalTo(reopened.plusSeconds(90).toString())));
        // the next resolution meets the new round
        probe().send("dispatch-events", ticket, Events.stageEnded(ticket, "RESOLVE", reopened.plusSeconds(5)));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/sla/tickets/" + ticket + "/clocks")
                .then().body("[4].state", equalTo("MET")));
    }

    @Test
    void aStageEndReadBeforeItsTicketIsAppliedWhenTheTicketArrives() {
        Instant reported = soon();
        String ticket = UUID.randomUUID().toString();
        // dispatch-events is read first: the stage end waits, parked, and blocks nothing
        probe().send("dispatch-events", ticket, Events.stageEnded(ticket, "RESPOND", reported.plusMillis(200)));
        String other = newTicket(soon()); // the channels keep flowing meanwhile
        probe().send("ticket-events", ticket, Events.ticketReceived(ticket, reported));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/sla/tickets/" + ticket + "/clocks")
                .then().statusCode(200).body("[0].state", equalTo("MET")));
        assertEquals(0L, QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from early_event").getSingleResult()).longValue()), "nothing left parked");
        given().get("/api/sla/tickets/" + other + "/clocks").then().statusCode(200);
    }

    int repeats(String ticket) {
        return given().get("/api/sla/tickets/" + ticket + "/clocks").then().statusCode(200).extract().path("[0].repeats");
    }

    @Test
    void aRepeatCallAboutABreachedStageBringsItsNextLevelForwardOnceAndIsCounted() {
        String ticket = newTicket(Instant.now());
        await().atMost(Duration.ofSeconds(20)).until(() -> slaEvents(ticket, "RESPOND").contains("sla.escalated:1"));
        String repeatId = UUID.randomUUID().toString();
        probe().send("ticket-events", ticket, Events.repeat("ticket.repeat-reported", ticket, repeatId));

        await().atMost(Duration.ofSeconds(20)).until(() -> slaEvents(ticket, "RESPOND").contains("sla.escalated:2"));
        EventProbe.Seen l2 = probe().ofType(ticket, "sla.escalated").stream()
                .filter(e -> e.json().path("data").path("level").asInt() == 2).findFirst().orElseThrow();
        Instant deadline = Instant.parse(l2.json().path("data").path("deadline").asText());
        // the ladder had level 2 due 6 s after the breach (2 min / 20); the repeat call brought it forward
        assertTrue(Instant.parse(l2.json().path("data").path("dueAt").asText()).isBefore(deadline.plusSeconds(5)),
                l2.value());
        assertEquals(1, repeats(ticket));

        // the same repeat again (a redelivery under a new event id) neither counts twice nor climbs further
        probe().send("ticket-events", ticket, Events.repeat("ticket.repeat-reported", ticket, repeatId));
        await().atMost(Duration.ofSeconds(30)).until(() -> slaEvents(ticket, "RESPOND").contains("sla.escalated:3"));
        assertEquals(List.of("sla.breached", "sla.escalated:1", "sla.escalated:2", "sla.escalated:3", "sla.warning"),
                slaEvents(ticket, "RESPOND"), "each level once, the third on its own time");
        assertEquals(1, repeats(ticket));
        List<Object> audit = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select a.reason from clock_adjustment a join stage_clock c on c.id = a.clock_id"
                        + " where c.ticket_id = ?1 and a.kind = 'REPEAT_ESCALATION'").setParameter(1, UUID.fromString(ticket))
                .getResultList());
        assertEquals(1, audit.size(), "the moved level is audited: " + audit);

        // an operator says it was not a repeat: it no longer counts
        probe().send("ticket-events", ticket, Events.repeat("ticket.repeat-overridden", ticket, repeatId));
        await().atMost(Duration.ofSeconds(20)).until(() -> repeats(ticket) == 0);
    }
}

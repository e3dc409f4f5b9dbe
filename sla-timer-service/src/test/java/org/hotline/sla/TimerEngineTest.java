package org.hotline.sla;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hotline.sla.Api.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hotline.backbone.testing.PolledBatch;
import org.hotline.backbone.testing.EventProbe;
import org.hotline.backbone.testing.EventSchemas;
import org.hotline.backbone.testing.InfraResource;
import org.hotline.backbone.testing.MovableClock;
import org.hotline.sla.messaging.InboundEventsConsumer;
import org.hotline.sla.model.ClockState;
import org.hotline.sla.model.Outcome;
import org.hotline.sla.model.StageClock;
import org.hotline.sla.model.StageName;
import org.hotline.sla.model.Timer;
import org.hotline.sla.model.TimerKind;
import org.hotline.sla.model.TimerSkip;
import org.hotline.sla.repository.StageClockRepository;
import org.hotline.sla.repository.TimerRepository;
import org.hotline.sla.service.TimerEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecordBatch;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * The engine on a movable clock: tests move time past warning points, deadlines and ladder levels
 * instead of waiting for them. 13830 breaches at 1, 3, 8 and 30 minutes after the report, each
 * breach published {@link #GRACE} after its deadline; RESPOND warns at 48 s and escalates at the
 * breach (level 1), 2 min later (level 2) and 5 min later (level 3).
 */
@QuarkusTest
@WithTestResource(InfraResource.class)
class TimerEngineTest {

    /** %test.sla.breach-grace. */
    static final Duration GRACE = Duration.ofSeconds(5);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    EntityManager em;

    @Inject
    MovableClock clock;

    @Inject
    TimerEngine engine;

    @Inject
    StageClockRepository stageClocks;

    @Inject
    TimerRepository timerRows;

    @Inject
    InboundEventsConsumer consumer;

    @Inject
    MeterRegistry registry;

    @AfterEach
    void realTime() {
        clock.reset();
    }

    EventProbe probe() {
        return EventProbe.shared(bootstrap, "sla-events");
    }

    /** Now on the application's clock, to the millisecond (PostgreSQL keeps microseconds). */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    void advanceTo(Instant t) {
        clock.advance(Duration.between(clock.instant(), t));
        engine.wake();
    }

    /** Just after a stage's breach is published: its deadline, the grace, and a little. */
    static Instant pastBreach(Instant deadline) {
        return deadline.plus(GRACE).plusMillis(200);
    }

    String newTicket(Instant reported) {
        String ticket = UUID.randomUUID().toString();
        probe().send("ticket-events", ticket, Events.ticketReceived(ticket, reported));
        await().atMost(Duration.ofSeconds(20)).until(() -> QuarkusTransaction.requiringNew()
                .call(() -> stageClocks.count("ticketId", UUID.fromString(ticket))) == 4);
        return ticket;
    }

    /** The decisions about a stage (the announcement of its start, sla.stage-started, left out). */
    List<String> slaEvents(String ticket, String stage) {
        return probe().about(ticket).stream().filter(s -> stage.equals(s.json().path("data").path("stage").asText()))
                .filter(s -> !"sla.stage-started".equals(s.type()))
                .map(s -> s.type() + (s.json().path("data").has("level") ? ":" + s.json().path("data").path("level").asInt() : ""))
                .sorted().toList();
    }

    EventProbe.Seen event(String ticket, String type, String stage) {
        return probe().ofType(ticket, type).stream()
                .filter(e -> e.json().path("data").path("stage").asText().equals(stage)).findFirst().orElseThrow();
    }

    List<Timer> timers(String ticket, StageName stage) {
        return QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                "select t from Timer t, StageClock c where t.clockId = c.id and c.ticketId = :t and c.stage = :s"
                        + " order by t.id", Timer.class)
                .setParameter("t", UUID.fromString(ticket)).setParameter("s", stage).getResultList());
    }

    StageClock clockOf(String ticket, StageName stage) {
        return QuarkusTransaction.requiringNew().call(() -> stageClocks
                .find("ticketId = ?1 and stage = ?2", UUID.fromString(ticket), stage).firstResult());
    }

    @Test
    void anUnmetStageWarnsBreachesAndClimbsItsLadderExactlyOnceEach() {
        Instant reported = now();
        String ticket = newTicket(reported);

        advanceTo(reported.plusSeconds(49));
        await().atMost(Duration.ofSeconds(10)).until(() -> slaEvents(ticket, "RESPOND").contains("sla.warning"));
        advanceTo(pastBreach(reported.plusSeconds(60)));
        await().atMost(Duration.ofSeconds(10)).until(() -> slaEvents(ticket, "RESPOND").contains("sla.escalated:1"));
        advanceTo(pastBreach(reported.plusSeconds(60)).plus(Duration.ofMinutes(2)));
        await().atMost(Duration.ofSeconds(10)).until(() -> slaEvents(ticket, "RESPOND").contains("sla.escalated:2"));

        assertEquals(List.of("sla.breached", "sla.escalated:1", "sla.escalated:2", "sla.warning"),
                slaEvents(ticket, "RESPOND"));
        for (EventProbe.Seen e : probe().about(ticket)) {
            assertEquals(Set.of(), EventSchemas.violations(e.value()), e.value());
            assertEquals(ticket, e.key());
        }
        EventProbe.Seen l1 = probe().ofType(ticket, "sla.escalated").stream()
                .filter(e -> e.json().path("data").path("level").asInt() == 1).findFirst().orElseThrow();
        assertEquals("COMMAND_ROOM_SUPERVISOR", l1.json().path("data").path("recipient").asText());
        // the breach waited out the grace after the deadline, and says which deadline it breached
        EventProbe.Seen breach = event(ticket, "sla.breached", "RESPOND");
        assertEquals(reported.plusSeconds(60), Instant.parse(breach.json().path("data").path("deadline").asText()));
        assertEquals(reported.plusSeconds(60).plus(GRACE), Instant.parse(breach.json().path("data").path("dueAt").asText()));

        given().get("/api/sla/tickets/" + ticket + "/clocks").then().statusCode(200)
                .body("[0].state", equalTo("BREACHED")).body("[0].light", equalTo("RED"))
                .body("[0].escalationLevel", equalTo(2));
    }

    @Test
    void aStageThatEndedInTimeButWhoseEventArrivesWithinTheGraceIsOnTimeAndNeverBreached() {
        Instant reported = now();
        String ticket = newTicket(reported);
        advanceTo(reported.plusSeconds(49));
        await().atMost(Duration.ofSeconds(10)).until(() -> slaEvents(ticket, "RESPOND").contains("sla.warning"));

        // the deadline has passed when the stage end, stamped 58 s, reaches us (relay lag)
        advanceTo(reported.plusSeconds(61));
        probe().send("dispatch-events", ticket, Events.stageEnded(ticket, "RESPOND", reported.plusSeconds(58)));

        await().atMost(Duration.ofSeconds(10)).until(() -> slaEvents(ticket, "RESPOND").contains("sla.stage-met"));
        assertTrue(event(ticket, "sla.stage-met", "RESPOND").json().path("data").path("onTime").asBoolean());
        assertEquals(Outcome.ON_TIME, clockOf(ticket, StageName.RESPOND).outcome);
        // nothing of the stage is left to fire: the breach and its ladder closed as "stage met"
        advanceTo(pastBreach(reported.plusSeconds(60)).plusSeconds(1));
        assertTrue(timers(ticket, StageName.RESPOND).stream().filter(t -> t.kind != TimerKind.WARNING)
                .allMatch(t -> t.firedAt != null && t.skipReason == TimerSkip.STAGE_MET));
        assertEquals(List.of("sla.stage-met", "sla.warning"), slaEvents(ticket, "RESPOND"));
    }

    @Test
    void aLateProofOfAnOnTimeEndCorrectsAPublishedBreachOpenlyAndStopsItsLadder() {
        Instant reported = now();
        String ticket = newTicket(reported);
        advanceTo(pastBreach(reported.plusSeconds(60)));
        await().atMost(Duration.ofSeconds(10)).until(() -> slaEvents(ticket, "RESPOND").contains("sla.escalated:1"));

        // the stage ended at 58 s, but its event was held up (a broker failover) beyond the grace
        probe().send("dispatch-events", ticket, Events.stageEnded(ticket, "RESPOND", reported.plusSeconds(58)));

        await().atMost(Duration.ofSeconds(10)).until(() -> slaEvents(ticket, "RESPOND").contains("sla.stage-met"));
        EventProbe.Seen correction = event(ticket, "sla.breach-corrected", "RESPOND");
        assertEquals(Set.of(), EventSchemas.violations(correction.value()), correction.value());
        assertEquals(reported.plusSeconds(58), Instant.parse(correction.json().path("data").path("metAt").asText()));
        assertEquals(1, correction.json().path("data").path("level").asInt(), "the escalation already sent");
        assertTrue(event(ticket, "sla.stage-met", "RESPOND").json().path("data").path("onTime").asBoolean());
        List<EventProbe.Seen> order = probe().about(ticket).stream()
                .filter(e -> e.json().path("data").path("stage").asText().equals("RESPOND")).toList();
        assertEquals("sla.stage-met", order.get(order.size() - 1).type(), "corrected, then met: " + order);

        given().get("/api/sla/tickets/" + ticket + "/clocks").then().body("[0].state", equalTo("MET"))
                .body("[0].light", equalTo("GREEN"));
        assertEquals(Outcome.ON_TIME, clockOf(ticket, StageName.RESPOND).outcome);
        assertTrue(timers(ticket, StageName.RESPOND).stream().filter(t -> t.kind == TimerKind.ESCALATION && t.level > 1)
                .allMatch(t -> t.skipReason == TimerSkip.BREACH_CORRECTED), "levels 2 and 3 stopped");
        Object reason = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select a.reason from clock_adjustment a join stage_clock c on c.id = a.clock_id"
                        + " where c.ticket_id = ?1 and a.kind = 'BREACH_CORRECTED'")
                .setParameter(1, UUID.fromString(ticket)).getSingleResult());
        assertTrue(reason.toString().contains(reported.plusSeconds(58).toString()), reason.toString());

        // past level 2's time (the DISPATCH_CONTACT breach shows the engine got there): it never comes
        advanceTo(pastBreach(reported.plusSeconds(180)));
        await().atMost(Duration.ofSeconds(10)).until(() -> slaEvents(ticket, "DISPATCH_CONTACT").contains("sla.breached"));
        assertEquals(List.of("sla.breach-corrected:1", "sla.breached", "sla.escalated:1", "sla.stage-met"),
                slaEvents(ticket, "RESPOND"));
    }

    @Test
    void meetingAStageStopsItsLadderAndAStageMetLateCountsAsBreached() {
        Instant reported = now();
        String ticket = newTicket(reported);
        probe().send("dispatch-events", ticket, Events.stageEnded(ticket, "RESPOND", reported.plusSeconds(20)));
        await().atMost(Duration.ofSeconds(10)).until(() -> slaEvents(ticket, "RESPOND").contains("sla.stage-met"));

        advanceTo(reported.plusSeconds(145));
        await().atMost(Duration.ofSeconds(10)).until(() -> slaEvents(ticket, "DISPATCH_CONTACT").contains("sla.warning"));
        advanceTo(pastBreach(reported.plusSeconds(180)));
        await().atMost(Duration.ofSeconds(10)).until(() -> slaEvents(ticket, "DISPATCH_CONTACT").contains("sla.escalated:1"));
        // DISPATCH_CONTACT breached at 3 min; it is met now, before level 2 (3 min after the breach)
        probe().send("dispatch-events", ticket, Events.stageEnded(ticket, "DISPATCH_CONTACT", now()));

        await().atMost(Duration.ofSeconds(10)).until(() -> slaEvents(ticket, "DISPATCH_CONTACT").contains("sla.stage-met"));
        assertEquals(List.of("sla.stage-met"), slaEvents(ticket, "RESPOND"), "met in time: no warning, no breach");
        assertFalse(event(ticket, "sla.stage-met", "DISPATCH_CONTACT").json().path("data").path("onTime").asBoolean());

        // the rest of its ladder is closed, never fired
        List<Timer> ladder = timers(ticket, StageName.DISPATCH_CONTACT).stream()
                .filter(t -> t.kind == TimerKind.ESCALATION && t.level > 1).toList();
        assertEquals(2, ladder.size());
        assertTrue(ladder.stream().allMatch(t -> t.cancelled && t.firedAt != null && t.skipReason == TimerSkip.STAGE_MET),
                "levels 2 and 3 closed");
        assertEquals(List.of("sla.breached", "sla.escalated:1", "sla.stage-met", "sla.warning"),
                slaEvents(ticket, "DISPATCH_CONTACT"));
        given().get("/api/sla/tickets/" + ticket + "/clocks").then()
                .body("[0].state", equalTo("MET")).body("[1].state", equalTo("MET_LATE"))
                .body("[1].light", equalTo("RED"));
    }

    /**
     * After an outage (the service down, or these tickets reaching it only now) every overdue breach
     * fires once, marked late; a warning whose deadline had passed when it fired is superseded by the
     * breach: recorded with its reason and counted, never published after its breach and never
     * dropped silently (on a live system 75 of 100 such warnings were closed without a word).
     */
    @Test
    void timersThatFellDueDuringAnOutageFireOnceLateAndTheirWarningsAreSupersededNeverDropped() {
        double supersededBefore = metric("sla_warnings_superseded_total");
        Instant reported = now().minus(Duration.ofMinutes(10));
        List<String> tickets = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            tickets.add(newTicket(reported));
        }
        List<String> overdue = List.of("RESPOND", "DISPATCH_CONTACT", "ON_SCENE");
        await().atMost(Duration.ofSeconds(30)).until(() -> tickets.stream()
                .allMatch(t -> overdue.stream().allMatch(s -> slaEvents(t, s).contains("sla.breached"))));

        for (String ticket : tickets) {
            for (String stage : overdue) {
                List<String> events = slaEvents(ticket, stage);
                assertEquals(1, events.stream().filter("sla.breached"::equals).count(), ticket + " " + stage);
                assertFalse(events.contains("sla.warning"), "no warning after its deadline: " + events);
                Timer warning = timers(ticket, StageName.valueOf(stage)).stream()
                        .filter(t -> t.kind == TimerKind.WARNING).findFirst().orElseThrow();
                assertEquals(TimerSkip.SUPERSEDED_BY_BREACH, warning.skipReason, ticket + " " + stage);
            }
            EventProbe.Seen breach = event(ticket, "sla.breached", "RESPOND");
            assertTrue(breach.json().path("data").path("late").asBoolean(), breach.value());
            assertTrue(breach.json().path("data").path("latenessMs").asLong() >= 500_000, breach.value());
            assertTrue(slaEvents(ticket, "RESOLVE").isEmpty(), "RESOLVE is still running");
        }
        // no timer of these tickets ended without a word: each published or closed with its reason
        List<Timer> closed = QuarkusTransaction.requiringNew().call(() -> timerRows.list(
                "ticketId in ?1 and firedAt is not null", tickets.stream().map(UUID::fromString).toList()));
        assertTrue(closed.stream().allMatch(t -> t.cancelled == (t.skipReason != null)));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertEquals(supersededBefore + 60,
                metric("sla_warnings_superseded_total")));
    }

    @Test
    void aCancelledTicketStopsEveryClock() {
        String ticket = newTicket(now());
        probe().send("ticket-events", ticket, Events.example("ticket.cancelled", ticket, Map.of()));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/sla/tickets/" + ticket + "/clocks")
                .then().body("state", equalTo(List.of("STOPPED", "STOPPED", "STOPPED", "STOPPED"))));
        // nothing is left to fire: every timer of the ticket is closed, saying why
        List<Timer> timers = QuarkusTransaction.requiringNew().call(() -> timerRows.list("ticketId",
                UUID.fromString(ticket)));
        assertEquals(20, timers.size());
        assertTrue(timers.stream().allMatch(t -> t.firedAt != null && t.skipReason == TimerSkip.TICKET_CANCELLED));
        assertTrue(probe().ofType(ticket, "sla.breached").isEmpty());
    }

    @Test
    void anApprovedExtensionMovesTheDeadlineAndKeepsTheOldOne() {
        Instant reported = now();
        String ticket = newTicket(reported);
        Instant extended = reported.plus(Duration.ofMinutes(40));
        probe().send("dispatch-events", ticket, Events.example("extension.approved", ticket,
                Map.of("stage", "RESOLVE", "newDeadline", extended)));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/sla/tickets/" + ticket + "/clocks")
                .then().body("[3].deadline", equalTo(extended.toString())));
        Object[] adjustment = QuarkusTransaction.requiringNew().call(() -> (Object[]) em.createNativeQuery(
                "select a.old_deadline, a.actor, a.reason from clock_adjustment a join stage_clock c on c.id = a.clock_id"
                        + " where c.ticket_id = ?1").setParameter(1, UUID.fromString(ticket)).getSingleResult());
        Object old = adjustment[0];
        assertEquals(reported.plus(Duration.ofMinutes(30)),
                old instanceof java.time.OffsetDateTime o ? o.toInstant() : (Instant) old);
        assertEquals("supervisor:wk-li", adjustment[1]);
        // re-armed for the new deadline: the old timers closed as moved, new ones pending
        List<Timer> resolve = timers(ticket, StageName.RESOLVE);
        assertEquals(5, resolve.stream().filter(t -> t.skipReason == TimerSkip.DEADLINE_MOVED).count());
        assertEquals(extended.plus(GRACE), resolve.stream().filter(t -> t.kind == TimerKind.BREACH && t.firedAt == null)
                .findFirst().orElseThrow().dueAt);
    }

    @Test
    void anExtensionOfAStageAlreadyBreachedNeverBreachesItAgainNorUnbreachesIt() {
        Instant reported = now();
        String ticket = newTicket(reported);
        advanceTo(pastBreach(reported.plusSeconds(60)));
        await().atMost(Duration.ofSeconds(10)).until(() -> slaEvents(ticket, "RESPOND").contains("sla.escalated:1"));
        Instant extended = now().plusSeconds(60);
        probe().send("dispatch-events", ticket, Events.example("extension.approved", ticket,
                Map.of("stage", "RESPOND", "newDeadline", extended)));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/sla/tickets/" + ticket + "/clocks")
                .then().body("[0].deadline", equalTo(extended.toString())).body("[0].state", equalTo("BREACHED")));
        assertTrue(timers(ticket, StageName.RESPOND).stream().allMatch(t -> t.firedAt != null), "nothing left to fire");
        // met before the new deadline but after the breached one: met late, the breach stands
        probe().send("dispatch-events", ticket, Events.stageEnded(ticket, "RESPOND", now()));
        await().atMost(Duration.ofSeconds(10)).until(() -> slaEvents(ticket, "RESPOND").contains("sla.stage-met"));
        assertFalse(event(ticket, "sla.stage-met", "RESPOND").json().path("data").path("onTime").asBoolean());
        assertEquals(Outcome.BREACHED, clockOf(ticket, StageName.RESPOND).outcome);

        // past level 2's old time (the DISPATCH_CONTACT breach shows the engine got there): it never comes
        advanceTo(pastBreach(reported.plusSeconds(180)));
        await().atMost(Duration.ofSeconds(10)).until(() -> slaEvents(ticket, "DISPATCH_CONTACT").contains("sla.breached"));
        assertEquals(List.of("sla.breached", "sla.escalated:1", "sla.stage-met"), slaEvents(ticket, "RESPOND"));
    }

    @Test
    void theOnTimeRateFromTheMetricsEqualsTheRecountFromTheDatabaseAlsoAfterACorrection() {
        Instant reported = now();
        String met = newTicket(reported);
        probe().send("dispatch-events", met, Events.stageEnded(met, "RESPOND", reported.plusSeconds(10)));
        String breached = newTicket(reported);
        String corrected = newTicket(reported);
        advanceTo(pastBreach(reported.plusSeconds(60)));
        await().atMost(Duration.ofSeconds(10)).until(() -> !probe().ofType(breached, "sla.breached").isEmpty()
                && !probe().ofType(corrected, "sla.breached").isEmpty() && !probe().ofType(met, "sla.stage-met").isEmpty());
        probe().send("dispatch-events", corrected, Events.stageEnded(corrected, "RESPOND", reported.plusSeconds(59)));
        await().atMost(Duration.ofSeconds(10)).until(() -> !probe().ofType(corrected, "sla.breach-corrected").isEmpty());

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Map<String, Long> fromDb = QuarkusTransaction.requiringNew().call(() -> em.createQuery(
                    "select c.outcome, count(c) from StageClock c where c.outcome is not null group by c.outcome",
                    Object[].class).getResultList().stream()
                    .collect(Collectors.toMap(r -> r[0].toString().toLowerCase(), r -> (Long) r[1])));
            String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
            Map<String, Long> decided = sum(metrics, "sla_stage_outcome_total{");
            Map<String, Long> corrections = sum(metrics, "sla_stage_outcome_corrections_total{");
            // what the recording rules compute: a corrected breach is no longer a breach
            Map<String, Long> fromMetrics = Map.of("on_time", decided.getOrDefault("on_time", 0L),
                    "breached", decided.getOrDefault("breached", 0L) - corrections.getOrDefault("breached", 0L));
            assertEquals(fromDb, fromMetrics);
            assertTrue(corrections.getOrDefault("breached", 0L) > 0, corrections.toString());
        });
        assertEquals(Outcome.ON_TIME, clockOf(corrected, StageName.RESPOND).outcome);
        assertEquals(Outcome.BREACHED, clockOf(breached, StageName.RESPOND).outcome);
        // the console's summary is the same recount, per street and stage
        given().get("/api/sla/summary?by=street").then().statusCode(200)
                .body("find { it.group == 'wukang' && it.stage == 'RESPOND' }.onTime", org.hamcrest.Matchers.greaterThan(1))
                .body("find { it.group == 'wukang' && it.stage == 'RESPOND' }.breached", org.hamcrest.Matchers.greaterThan(0));
        given().get("/api/sla/summary?by=unitType").then().statusCode(200).body("group", org.hamcrest.Matchers.hasItem("none"));
        given().get("/api/sla/summary?by=weather").then().statusCode(400).body("errors[0].field", equalTo("by"));
    }

    static Map<String, Long> sum(String metrics, String prefix) {
        return metrics.lines().filter(l -> l.startsWith(prefix))
                .collect(Collectors.groupingBy(l -> l.replaceAll(".*outcome=\"([a-z_]+)\".*", "$1"),
                        Collectors.summingLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))));
    }

    double metric(String name) {
        return given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void onTimeRatesAreReportedPerLeadUnitTypeAndADecidedOutcomeKeepsTheUnitItWasDecidedAgainst() {
        String first = "MEDIATION-" + UUID.randomUUID().toString().substring(0, 8);
        String second = "POLICE-" + UUID.randomUUID().toString().substring(0, 8);
        Instant reported = now();
        String ticket = newTicket(reported);
        probe().send("dispatch-events", ticket, Events.example("assignment.created", ticket,
                Map.of("unitType", first, "role", "LEAD")));
        probe().send("dispatch-events", ticket, Events.stageEnded(ticket, "RESPOND", reported.plusSeconds(10)));
        await().atMost(Duration.ofSeconds(20)).until(() -> slaEvents(ticket, "RESPOND").contains("sla.stage-met"));

        // the first lead lapses and another unit type leads: the decided RESPOND keeps the first
        probe().send("dispatch-events", ticket, Events.example("assignment.created", ticket,
                Map.of("unitType", second, "role", "LEAD")));
        await().atMost(Duration.ofSeconds(20)).until(() -> second.equals(clockOf(ticket, StageName.ON_SCENE).unitType));
        assertEquals(first, clockOf(ticket, StageName.RESPOND).unitType);
        assertEquals(first, event(ticket, "sla.stage-met", "RESPOND").json().path("data").path("unitType").asText());

        given().get("/api/sla/summary?by=unitType").then().statusCode(200)
                .body("find { it.group == '" + first + "' && it.stage == 'RESPOND' }.onTime", equalTo(1))
                .body("find { it.group == '" + first + "' && it.stage == 'RESPOND' }.onTimeRate", equalTo(1.0f))
                .body("find { it.group == '" + second + "' && it.stage == 'RESPOND' }", org.hamcrest.Matchers.nullValue());
        String metrics = given().get("/q/metrics").then().extract().asString();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("sla_stage_outcome_total{") && l.contains("unit_type=\"" + first + "\"")
                && l.contains("stage=\"RESPOND\"")), "the metric is tagged with the unit decided against");
        assertTrue(metrics.lines().noneMatch(l -> l.startsWith("sla_stage_outcome_total{") && l.contains(second)));
    }

    @Test
    void aReopenedTicketRunsTheStagesItsPolicyRestartsAsANewRound() {
        Instant reported = now();
        String ticket = newTicket(reported);
        // resolved at once: every stage met on time
        probe().send("dispatch-events", ticket, Events.stageEnded(ticket, "RESOLVE", reported.plusSeconds(20)));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/sla/tickets/" + ticket + "/clocks")
                .then().body("state", equalTo(List.of("MET", "MET", "MET", "MET"))));

        Instant reopened = now();
        probe().send("ticket-events", ticket, Events.example("ticket.reopened", ticket, Map.of("reopenedAt", reopened)));

        // 13830 restarts RESOLVE on reopen: 30 minutes from the reopening
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/sla/tickets/" + ticket + "/clocks")
                .then().body("stage", equalTo(List.of("RESPOND", "DISPATCH_CONTACT", "ON_SCENE", "RESOLVE", "RESOLVE")))
                .body("round", equalTo(List.of(0, 0, 0, 0, 1)))
                .body("state", equalTo(List.of("MET", "MET", "MET", "MET", "RUNNING")))
                .body("[4].deadline", equalTo(reopened.plus(Duration.ofMinutes(30)).toString())));
        // the next resolution meets the new round
        probe().send("dispatch-events", ticket, Events.stageEnded(ticket, "RESOLVE", reopened.plusSeconds(5)));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/sla/tickets/" + ticket + "/clocks")
                .then().body("[4].state", equalTo("MET")));
    }

    @Test
    void aStageEndReadBeforeItsTicketIsAppliedWhenTheTicketArrives() {
        Instant reported = now();
        String ticket = UUID.randomUUID().toString();
        // dispatch-events is read first: the stage end waits, parked, and blocks nothing
        probe().send("dispatch-events", ticket, Events.stageEnded(ticket, "RESPOND", reported.plusMillis(200)));
        String other = newTicket(now()); // the channels keep flowing meanwhile
        probe().send("ticket-events", ticket, Events.ticketReceived(ticket, reported));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/sla/tickets/" + ticket + "/clocks")
                .then().statusCode(200).body("[0].state", equalTo("MET")));
        assertEquals(0L, QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from early_event").getSingleResult()).longValue()), "nothing left parked");
        given().get("/api/sla/tickets/" + other + "/clocks").then().statusCode(200);
    }

    /** The records as one poll of ticket-events (one partition, in this order), handed to the consumer. */
    void ticketEventsInOneBatch(List<String> records) {
        eventsInOneBatch("ticket-events", records);
    }

    /** The records as one poll of a topic (one partition, in this order), handed to its consumer method. */
    void eventsInOneBatch(String topic, List<String> records) {
        IncomingKafkaRecordBatch<String, String> batch = PolledBatch.of(topic, null, records).batch();
        ("ticket-events".equals(topic) ? consumer.ticketEvent(batch) : consumer.dispatchEvent(batch))
                .await().atMost(Duration.ofSeconds(30));
    }

    long parked(String... tickets) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from early_event where ticket_id = any(cast(?1 as uuid[]))")
                .setParameter(1, tickets).getSingleResult()).longValue());
    }

    List<String> states(String ticket) {
        return given().get("/api/sla/tickets/" + ticket + "/clocks").then().statusCode(200).extract().path("state");
    }

    @Test
    void stageEndsReadBeforeTheirTicketsAreAppliedWhenTheTicketsArriveTogetherInOneBatch() {
        Instant reported = now();
        String responded = UUID.randomUUID().toString();
        String onScene = UUID.randomUUID().toString();
        String resolved = UUID.randomUUID().toString();
        String cancelled = UUID.randomUUID().toString();
        // dispatch's events about three tickets are read before the tickets: parked
        probe().send("dispatch-events", responded, Events.stageEnded(responded, "RESPOND", reported.plusMillis(200)));
        probe().send("dispatch-events", onScene, Events.stageEnded(onScene, "ON_SCENE", reported.plusSeconds(2)));
        probe().send("dispatch-events", resolved, Events.stageEnded(resolved, "RESPOND", reported.plusSeconds(1)));
        probe().send("dispatch-events", resolved, Events.stageEnded(resolved, "RESOLVE", reported.plusSeconds(3)));
        await().atMost(Duration.ofSeconds(20)).until(() -> parked(responded, onScene, resolved) == 4);
        double fallbacks = registry.counter("hotline.inbox.batch.fallbacks").count();

        // the tickets arrive together, in one batch; one ticket's cancellation is read (in the same
        // batch) before its ticket.received
        ticketEventsInOneBatch(List.of(Events.ticketReceived(responded, reported),
                Events.example("ticket.cancelled", cancelled, Map.of()),
                Events.ticketReceived(onScene, reported), Events.ticketReceived(resolved, reported),
                Events.ticketReceived(cancelled, reported)));

        // each ticket's stages end as its early events said, on time
        assertEquals(List.of("MET", "RUNNING", "RUNNING", "RUNNING"), states(responded));
        assertEquals(List.of("MET", "MET", "MET", "RUNNING"), states(onScene));
        assertEquals(List.of("MET", "MET", "MET", "MET"), states(resolved));
        assertEquals(List.of("STOPPED", "STOPPED", "STOPPED", "STOPPED"), states(cancelled));
        assertEquals(0L, parked(responded, onScene, resolved, cancelled), "nothing left parked");
        assertEquals(fallbacks, registry.counter("hotline.inbox.batch.fallbacks").count(),
                "applied as one batch, not replayed one by one");
    }

    /**
     * A batch with a poison event is applied again one event per transaction, without the batch's
     * up-front locks: each event locks its own ticket and its clocks change as in a batch.
     */
    @Test
    void theEventsOfABatchThatFailedAreAppliedOneByOneWithTheSameEffect() {
        Instant reported = now();
        String armed = newTicket(reported);
        String cancelled = newTicket(reported);
        String received = UUID.randomUUID().toString();
        double fallbacks = registry.counter("hotline.inbox.batch.fallbacks").count();

        ticketEventsInOneBatch(List.of(Events.ticketReceived(received, reported),
                Events.repeat("ticket.repeat-reported", armed, null), // no repeatId: dead-lettered alone
                Events.example("ticket.cancelled", cancelled, Map.of())));
        eventsInOneBatch("dispatch-events", List.of(
                Events.example("assignment.created", armed, Map.of("unitType", "MEDIATION", "role", "LEAD")),
                Events.example("extension.approved", armed, java.util.Collections.singletonMap("stage", null)), // no stage: dead-lettered alone
                Events.stageEnded(armed, "RESPOND", reported.plusSeconds(5))));

        assertEquals(fallbacks + 2, registry.counter("hotline.inbox.batch.fallbacks").count(), "replayed one by one");
        assertEquals(List.of("RUNNING", "RUNNING", "RUNNING", "RUNNING"), states(received));
        assertEquals(List.of("STOPPED", "STOPPED", "STOPPED", "STOPPED"), states(cancelled));
        assertEquals(List.of("MET", "RUNNING", "RUNNING", "RUNNING"), states(armed));
        assertEquals("MEDIATION", clockOf(armed, StageName.RESPOND).unitType);
        assertEquals("MEDIATION", clockOf(armed, StageName.RESOLVE).unitType);
        assertTrue(timers(armed, StageName.RESPOND).stream().allMatch(t -> t.skipReason == TimerSkip.STAGE_MET));
    }

    /**
     * A batch's events about one ticket each see what the earlier ones did, as if applied alone: the
     * lead unit's type, a moved deadline and a stage end in one batch of dispatch-events; and an
     * extension and a lead assignment read before their ticket, applied when it arrives in a batch of
     * ticket-events, right after its clocks and timers are written.
     */
    @Test
    void eventsAboutOneTicketInOneBatchEachSeeWhatTheEarlierOnesDid() {
        Instant reported = now();
        String armed = newTicket(reported);
        String early = UUID.randomUUID().toString();
        String other = UUID.randomUUID().toString();
        Instant extended = reported.plus(Duration.ofMinutes(40));
        double fallbacks = registry.counter("hotline.inbox.batch.fallbacks").count();

        eventsInOneBatch("dispatch-events", List.of(
                Events.example("assignment.created", armed, Map.of("unitType", "MEDIATION", "role", "LEAD")),
                Events.example("extension.approved", armed, Map.of("stage", "RESOLVE", "newDeadline", extended)),
                Events.stageEnded(armed, "RESPOND", reported.plusSeconds(5)),
                Events.example("extension.approved", early, Map.of("stage", "RESOLVE", "newDeadline", extended)),
                Events.example("assignment.created", early, Map.of("unitType", "MEDIATION", "role", "LEAD"))));
        assertEquals(2L, parked(early));
        ticketEventsInOneBatch(List.of(Events.ticketReceived(early, reported), Events.ticketReceived(other, reported)));

        assertEquals(fallbacks, registry.counter("hotline.inbox.batch.fallbacks").count(), "each batch applied as one");
        for (String t : List.of(armed, early)) {
            StageClock resolve = clockOf(t, StageName.RESOLVE);
            assertEquals(extended, resolve.deadline, t);
            assertEquals("MEDIATION", resolve.unitType, t);
            List<Timer> timers = timers(t, StageName.RESOLVE);
            assertEquals(5, timers.stream().filter(x -> x.skipReason == TimerSkip.DEADLINE_MOVED).count(), t);
            assertEquals(extended.plus(GRACE), timers.stream().filter(x -> x.kind == TimerKind.BREACH && x.firedAt == null)
                    .findFirst().orElseThrow().dueAt, t);
            assertEquals(1L, QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                    "select count(*) from clock_adjustment a join stage_clock c on c.id = a.clock_id where c.ticket_id = ?1"
                            + " and a.kind = 'EXTENSION'").setParameter(1, UUID.fromString(t)).getSingleResult()).longValue()), t);
        }
        // the stage end after the lead's assignment: decided against that unit, its timers closed
        StageClock respond = clockOf(armed, StageName.RESPOND);
        assertEquals(ClockState.MET, respond.state);
        assertEquals(Outcome.ON_TIME, respond.outcome);
        assertEquals("MEDIATION", respond.unitType);
        assertTrue(timers(armed, StageName.RESPOND).stream().allMatch(x -> x.skipReason == TimerSkip.STAGE_MET));
        await().atMost(Duration.ofSeconds(20)).until(() -> slaEvents(armed, "RESPOND").equals(List.of("sla.stage-met")));
        assertEquals(List.of("RUNNING", "RUNNING", "RUNNING", "RUNNING"), states(other));
        assertEquals(0L, parked(early), "nothing left parked");
    }

    int repeats(String ticket) {
        return given().get("/api/sla/tickets/" + ticket + "/clocks").then().statusCode(200).extract().path("[0].repeats");
    }

    @Test
    void aRepeatCallAboutABreachedStageBringsItsNextLevelForwardOnceAndIsCounted() {
        Instant reported = now();
        String ticket = newTicket(reported);
        advanceTo(reported.plusSeconds(49));
        await().atMost(Duration.ofSeconds(10)).until(() -> slaEvents(ticket, "RESPOND").contains("sla.warning"));
        advanceTo(pastBreach(reported.plusSeconds(60)));
        await().atMost(Duration.ofSeconds(10)).until(() -> slaEvents(ticket, "RESPOND").contains("sla.escalated:1"));
        String repeatId = UUID.randomUUID().toString();
        probe().send("ticket-events", ticket, Events.repeat("ticket.repeat-reported", ticket, repeatId));

        // level 2 was due 2 min after the breach; the repeat call brings it forward to now
        await().atMost(Duration.ofSeconds(10)).until(() -> slaEvents(ticket, "RESPOND").contains("sla.escalated:2"));
        EventProbe.Seen l2 = probe().ofType(ticket, "sla.escalated").stream()
                .filter(e -> e.json().path("data").path("level").asInt() == 2).findFirst().orElseThrow();
        assertTrue(Instant.parse(l2.json().path("data").path("dueAt").asText()).isBefore(now().plusSeconds(1)), l2.value());
        assertEquals(1, repeats(ticket));

        // the same repeat again (a redelivery under a new event id) neither counts twice nor climbs further
        probe().send("ticket-events", ticket, Events.repeat("ticket.repeat-reported", ticket, repeatId));
        advanceTo(pastBreach(reported.plusSeconds(60)).plus(Duration.ofMinutes(5)));
        await().atMost(Duration.ofSeconds(10)).until(() -> slaEvents(ticket, "RESPOND").contains("sla.escalated:3"));
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

    /**
     * A timer whose firing always fails (here: its clock points past its policy's stages) fails
     * alone, is quarantined after sla.engine.max-attempts with its error, counted, and the other
     * timers due with it fire on time; the engine stays alive.
     */
    @Test
    void aPoisonTimerIsQuarantinedAfterItsAttemptsAndTheTimersDueWithItStillFire() {
        double quarantinedBefore = metric("sla_timers_quarantined_total");
        Instant reported = now();
        String poisoned = newTicket(reported);
        String healthy = newTicket(reported);
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "update stage_clock set ordinal = 99 where ticket_id = ?1 and stage = 'RESPOND'")
                .setParameter(1, UUID.fromString(poisoned)).executeUpdate());

        advanceTo(pastBreach(reported.plusSeconds(60)));
        await().atMost(Duration.ofSeconds(10)).until(() -> slaEvents(healthy, "RESPOND").contains("sla.escalated:1"));
        await().atMost(Duration.ofSeconds(10)).until(() -> timers(poisoned, StageName.RESPOND).stream()
                .anyMatch(t -> t.skipReason == TimerSkip.QUARANTINED));

        Timer quarantined = timers(poisoned, StageName.RESPOND).stream()
                .filter(t -> t.skipReason == TimerSkip.QUARANTINED).findFirst().orElseThrow();
        assertEquals(TimerKind.ESCALATION, quarantined.kind);
        assertEquals(5, quarantined.attempts);
        assertTrue(quarantined.lastError.contains("IndexOutOfBounds"), quarantined.lastError);
        // its breach, due with it, was published: only the poison itself is set aside
        assertTrue(slaEvents(poisoned, "RESPOND").contains("sla.breached"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertEquals(quarantinedBefore + 1,
                metric("sla_timers_quarantined_total")));
        given().get("/q/health/live").then().statusCode(200);
        assertEquals(ClockState.BREACHED, clockOf(healthy, StageName.RESPOND).state);
        // its other timers would fail too when later tests move the clock: the ticket is withdrawn
        probe().send("ticket-events", poisoned, Events.example("ticket.cancelled", poisoned, Map.of()));
    }
}

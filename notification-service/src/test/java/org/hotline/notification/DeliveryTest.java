package org.hotline.notification;

import org.hotline.backbone.testing.MovableClock;

import static org.hotline.notification.AdminApi.given;
import static org.awaitility.Awaitility.await;
import static org.hotline.notification.NotificationRows.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hotline.backbone.testing.EventProbe;
import org.hotline.backbone.testing.InfraResource;
import org.hotline.backbone.testing.SseStream;
import org.hotline.backbone.testing.TestTokens;
import org.hotline.notification.ProviderServer.Received;
import org.hotline.notification.ProviderServer.Reply;
import org.hotline.notification.service.ChannelBreakers;
import org.hotline.notification.service.ConsoleHub;
import org.hotline.notification.service.DeliveryAttempts;
import org.hotline.notification.service.DeliveryWorker;
import org.hotline.notification.service.WebhookSender;
import org.hotline.notification.model.Channel;
import org.hotline.notification.model.DeliveryStatus;
import org.hotline.notification.model.Notification;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;

/**
 * Delivery against a real HTTP server playing the webhook receiver and the SMS provider, with its
 * failures. Test profile: 4 attempts, backoff 100 ms doubling (equal jitter) up to 400 ms, client
 * timeout 600 ms, breaker opens at 3 failures of 4 calls and stays open 1.5 s.
 */
@QuarkusTest
@WithTestResource(InfraResource.class)
@WithTestResource(ProviderServer.class)
class DeliveryTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    ChannelBreakers breakers;

    @Inject
    ConsoleHub console;

    @Inject
    DeliveryWorker worker;

    @Inject
    DeliveryAttempts attempts;

    @Inject
    MovableClock clock;

    @ConfigProperty(name = "notification.webhook.url")
    String webhookUrl;

    @ConfigProperty(name = "notification.delivery.lease")
    Duration lease;

    @TestHTTPResource("/api/notifications/stream")
    URL stream;

    @BeforeEach
    void startQuiet() {
        ProviderServer.reset();
        NotificationRows.awaitQuiet();
        breakers.resetAll();
    }

    @AfterEach
    void endQuiet() {
        ProviderServer.reset();
        NotificationRows.awaitQuiet();
        breakers.resetAll();
    }

    void send(String topic, String key, String event) {
        EventProbe.shared(bootstrap, "dispatch-events").send(topic, key, event);
    }

    /** extension.requested: one webhook row (the street's command-room supervisor) and one console row. */
    String extensionRequested(String ticket) {
        return ProducerEvents.dispatch("extension.requested", ticket, Instant.now(), Map.of("assignmentId",
                UUID.randomUUID().toString(), "unitId", "wk-grid-03", "unitType", "GRID_WORKER", "role", "LEAD",
                "stage", "RESOLVE"));
    }

    Notification row(String ticket, Channel channel) {
        return rows(ticket).stream().filter(n -> n.channel == channel).findFirst().orElseThrow();
    }

    DeliveryStatus status(String ticket, Channel channel) {
        return rows(ticket).stream().filter(n -> n.channel == channel).map(n -> n.status).findFirst().orElse(null);
    }

    /** Waits for a pass of the delivery worker that started after {@code t} (passes run one after another); when it started. */
    Instant passStartedAfter(Instant t) {
        await().atMost(Duration.ofSeconds(20)).until(() -> worker.lastPass() != null && worker.lastPass().isAfter(t));
        return worker.lastPass();
    }

    /** Waits until a pass after {@code t} found no send in flight: every send started before {@code t} has returned. */
    void idleAfter(Instant t) {
        await().atMost(Duration.ofSeconds(20)).until(() -> worker.lastIdle() != null && worker.lastIdle().isAfter(t));
    }

    static double metric(String name, String channel, String type) {
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("(?m)^" + name + "\\{([^}]*)\\} (\\S+)$").matcher(body);
        double total = 0;
        while (m.find()) {
            if (m.group(1).contains("channel=\"" + channel + "\"") && m.group(1).contains("event_type=\"" + type + "\"")) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return total;
    }

    @Test
    void anHttp500IsRetriedWithBackoffUntilTheReceiverTakesIt() {
        String ticket = UUID.randomUUID().toString();
        AtomicInteger calls = new AtomicInteger();
        ProviderServer.behave(r -> r.body().contains(ticket) && calls.incrementAndGet() <= 2 ? new Reply(500, 0) : Reply.OK);
        double retriedBefore = metric("notification_retried_total", "WEBHOOK", "extension.requested");

        send("dispatch-events", ticket, extensionRequested(ticket));

        await().atMost(Duration.ofSeconds(20)).until(() -> status(ticket, Channel.WEBHOOK) == DeliveryStatus.SENT);
        Notification n = row(ticket, Channel.WEBHOOK);
        assertEquals(3, n.attempts);
        assertEquals("HTTP 500: {\"error\":\"scripted failure\"}", n.lastError);
        List<Received> hits = ProviderServer.about(ticket).stream().filter(r -> r.path().equals("/webhook")).toList();
        assertEquals(3, hits.size(), "two failures and the success");
        assertEquals(Set.of(n.id.toString()), hits.stream().map(r -> r.header(WebhookSender.DELIVERY)).collect(Collectors.toSet()));
        long firstGap = (hits.get(1).atNanos() - hits.get(0).atNanos()) / 1_000_000;
        long secondGap = (hits.get(2).atNanos() - hits.get(1).atNanos()) / 1_000_000;
        // backoff 100 ms then 200 ms, with equal jitter: at least 50 ms, then at least 100 ms
        assertTrue(firstGap >= 50, "first retry waited " + firstGap + " ms");
        assertTrue(secondGap >= 100, "second retry waited " + secondGap + " ms");
        assertEquals(retriedBefore + 2, metric("notification_retried_total", "WEBHOOK", "extension.requested"));
        assertTrue(metric("notification_sent_total", "WEBHOOK", "extension.requested") >= 1);
        assertTrue(metric("notification_delivery_latency_seconds_count", "WEBHOOK", "extension.requested") >= 1);
        String metrics = given().get("/q/metrics").then().extract().asString();
        assertTrue(metrics.contains("notification_delivery_latency_seconds_bucket{"), "latency histogram");
    }

    @Test
    void aSlowReceiverTimesOutAndTheNotificationIsRetried() {
        String ticket = UUID.randomUUID().toString();
        AtomicInteger calls = new AtomicInteger();
        ProviderServer.behave(r -> r.body().contains(ticket) && calls.incrementAndGet() == 1 ? new Reply(200, 2000) : Reply.OK);

        send("dispatch-events", ticket, extensionRequested(ticket));

        await().atMost(Duration.ofSeconds(20)).until(() -> status(ticket, Channel.WEBHOOK) == DeliveryStatus.SENT);
        Notification n = row(ticket, Channel.WEBHOOK);
        assertEquals(2, n.attempts);
        assertEquals("timed out after 600 ms", n.lastError);
        List<Received> hits = ProviderServer.about(ticket).stream().filter(r -> r.path().equals("/webhook")).toList();
        assertEquals(2, hits.size());
        // the second attempt came after the client gave up on the first (600 ms), not after the slow answer (2 s)
        long gap = (hits.get(1).atNanos() - hits.get(0).atNanos()) / 1_000_000;
        assertTrue(gap >= 600 && gap < 1900, "retried " + gap + " ms after the first call");
    }

    @Test
    void aReceiverThatKeepsFailingMakesTheNotificationDeadVisibleAndCounted() {
        String ticket = UUID.randomUUID().toString();
        ProviderServer.behave(r -> r.body().contains(ticket.substring(0, 8)) ? new Reply(503, 0) : Reply.OK);
        double deadBefore = metric("notification_dead_total", "SMS", "sla.escalated");

        send("sla-events", ticket, ProducerEvents.escalated(ticket, 1, "COMMAND_ROOM_SUPERVISOR", Instant.now()));

        await().atMost(Duration.ofSeconds(20)).until(() -> rows(ticket, DeliveryStatus.DEAD).size() == 2);
        assertEquals(DeliveryStatus.SENT, row(ticket, Channel.CONSOLE).status);
        for (Notification n : rows(ticket, DeliveryStatus.DEAD)) {
            assertEquals(4, n.attempts);
            assertEquals("HTTP 503: {\"error\":\"scripted failure\"}", n.lastError);
            assertEquals("person:wk-wang", n.recipient);
        }
        assertEquals(4, ProviderServer.about(ticket).stream().filter(r -> r.path().equals("/sms")).count());
        assertEquals(4, ProviderServer.about(ticket).stream().filter(r -> r.path().equals("/webhook")).count());
        List<String> dead = given().queryParam("status", "DEAD").get("/api/notifications").then().statusCode(200)
                .extract().jsonPath().getList("findAll { it.ticketId == '" + ticket + "' }.channel");
        assertEquals(Set.of("SMS", "WEBHOOK"), Set.copyOf(dead));
        assertEquals(deadBefore + 1, metric("notification_dead_total", "SMS", "sla.escalated"));
        assertTrue(metric("notification_failed_total", "SMS", "sla.escalated") >= 4);
    }

    @Test
    void aRefusalIsDeadAtOnceWithoutRetries() {
        String ticket = UUID.randomUUID().toString();
        ProviderServer.behave(r -> r.body().contains(ticket) ? new Reply(400, 0) : Reply.OK);

        send("dispatch-events", ticket, extensionRequested(ticket));

        await().atMost(Duration.ofSeconds(20)).until(() -> status(ticket, Channel.WEBHOOK) == DeliveryStatus.DEAD);
        assertEquals(1, row(ticket, Channel.WEBHOOK).attempts);
        assertEquals(1, ProviderServer.about(ticket).size(), "a 400 is not retried");
        assertEquals(CircuitBreakerState.CLOSED, breakers.state(Channel.WEBHOOK));
    }

    @Test
    void theBreakerOpensStopsCallingTheReceiverAndClosesAgain() {
        ProviderServer.behave(r -> r.path().equals("/webhook") ? new Reply(500, 0) : Reply.OK);
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        // each warning: a webhook to each of the street's two dispatchers
        send("sla-events", first, ProducerEvents.sla("sla.warning", first, "RESPOND", Instant.now(), Map.of()));
        send("sla-events", second, ProducerEvents.sla("sla.warning", second, "RESPOND", Instant.now(), Map.of()));

        await().atMost(Duration.ofSeconds(20)).until(() -> breakers.state(Channel.WEBHOOK) == CircuitBreakerState.OPEN);
        // a call let through just before it opened may still be on the wire: wait until none is
        idleAfter(clock.instant());
        int callsWhenOpened = ProviderServer.at("/webhook").size();
        // open (1.5 s): the rows fall due, and a whole pass of the worker after that leaves the receiver alone
        Instant due = Stream.concat(rows(first).stream(), rows(second).stream())
                .filter(n -> n.channel == Channel.WEBHOOK && n.nextAttemptAt != null).map(n -> n.nextAttemptAt)
                .max(Instant::compareTo).orElseThrow();
        passStartedAfter(passStartedAfter(due));
        assertEquals(callsWhenOpened, ProviderServer.at("/webhook").size(), "no call while the breaker is open");
        assertEquals(CircuitBreakerState.OPEN, breakers.state(Channel.WEBHOOK), "still open: no trial call was due yet");
        List<Notification> waiting = rows(first).stream().filter(n -> n.channel == Channel.WEBHOOK).toList();
        assertTrue(waiting.stream().allMatch(n -> n.status == DeliveryStatus.RETRYING && n.attempts < 4), waiting.toString());

        long healed = System.nanoTime();
        ProviderServer.behave(r -> Reply.OK);
        await().atMost(Duration.ofSeconds(20)).until(() -> breakers.state(Channel.WEBHOOK) == CircuitBreakerState.CLOSED
                && rows(first, DeliveryStatus.SENT).size() == 3 && rows(second, DeliveryStatus.SENT).size() == 3);
        List<Received> after = ProviderServer.at("/webhook").stream()
                .filter(r -> r.atNanos() > healed && (r.body().contains(first) || r.body().contains(second))).toList();
        assertEquals(4, after.size(), "one successful call per webhook row, nothing twice: " + after.stream()
                .map(r -> r.header(WebhookSender.DELIVERY) + " " + (r.atNanos() - healed) / 1_000_000 + "ms").toList()
                + " rows " + rows(first).stream().map(n -> n.id + " " + n.channel + " " + n.attempts + " " + n.lastError).toList()
                + rows(second).stream().map(n -> n.id + " " + n.channel + " " + n.attempts + " " + n.lastError).toList());
        assertEquals(4, after.stream().map(r -> r.header(WebhookSender.DELIVERY)).distinct().count());
    }

    @Test
    void aRowLockedByAnotherWorkerIsSkippedNotWaitedForAndSentOnceReleased() throws Exception {
        // a due-in-a-moment row, as the consumer writes them
        String locked = UUID.randomUUID().toString();
        UUID rowId = UUID.randomUUID();
        // due in a minute (the clock is moved there once another worker holds the row): not claimed before
        Instant dueAt = clock.instant().plus(Duration.ofMinutes(1));
        QuarkusTransaction.requiringNew().run(() -> {
            Notification n = new Notification();
            n.id = rowId;
            n.ticketId = UUID.fromString(locked);
            n.eventId = UUID.randomUUID().toString();
            n.eventType = "extension.requested";
            n.eventTime = Instant.now();
            n.street = "wukang";
            n.recipient = "person:wk-wang";
            n.channel = Channel.WEBHOOK;
            n.address = webhookUrl;
            n.text = "locked row";
            n.body = "{\"ticketId\":\"" + locked + "\"}";
            n.status = DeliveryStatus.PENDING;
            n.nextAttemptAt = dueAt;
            n.createdAt = Instant.now();
            n.persist();
        });
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // another replica's claim, simulated: it holds the row's lock past the row's due time
        Thread other = new Thread(() -> QuarkusTransaction.requiringNew().run(() -> {
            Notification.getEntityManager().find(Notification.class, rowId, LockModeType.PESSIMISTIC_WRITE);
            holding.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        other.start();
        assertTrue(holding.await(10, TimeUnit.SECONDS));
        try {
            // the row falls due while the lock is held, and the worker makes passes past it
            clock.advance(Duration.ofMinutes(1));
            passStartedAfter(passStartedAfter(dueAt));
            // the worker is not stuck behind the lock: another ticket's rows go out meanwhile
            String free = UUID.randomUUID().toString();
            send("dispatch-events", free, extensionRequested(free));
            await().atMost(Duration.ofSeconds(20)).until(() -> rows(free, DeliveryStatus.SENT).size() == 2);
            assertEquals(0, ProviderServer.about(locked).size(), "the locked row was not sent");
            assertEquals(DeliveryStatus.PENDING, status(locked, Channel.WEBHOOK));
            release.countDown();
            other.join(10_000);
            await().atMost(Duration.ofSeconds(20)).until(() -> status(locked, Channel.WEBHOOK) == DeliveryStatus.SENT);
            assertEquals(1, ProviderServer.about(locked).size());
        } finally {
            release.countDown();
            other.join(10_000);
            clock.reset();
        }
    }

    @Test
    void aRedeliveredEventIsSentOnce() {
        String ticket = UUID.randomUUID().toString();
        String event = ProducerEvents.escalated(ticket, 1, "COMMAND_ROOM_SUPERVISOR", Instant.now());
        send("sla-events", ticket, event);
        send("sla-events", ticket, event);
        // a later event on the same key: once it is delivered, the duplicate before it was consumed
        send("sla-events", ticket, ProducerEvents.sla("sla.breached", ticket, "ON_SCENE", Instant.now(), Map.of()));

        await().atMost(Duration.ofSeconds(20)).until(() -> rows(ticket).stream()
                .anyMatch(n -> n.eventType.equals("sla.breached") && n.status == DeliveryStatus.SENT));
        NotificationRows.awaitQuiet();
        assertEquals(3, rows(ticket).stream().filter(n -> n.eventType.equals("sla.escalated")).count());
        List<Received> escalations = ProviderServer.about(ticket).stream()
                .filter(r -> r.body().contains("督办·1级")).toList();
        assertEquals(2, escalations.size(), "one SMS and one webhook: " + escalations);
        assertEquals(Set.of("/sms", "/webhook"), escalations.stream().map(Received::path).collect(Collectors.toSet()));
    }

    @Test
    void aTicketsNotificationsReachEachRecipientInTheOrderOfItsEvents() {
        String ticket = UUID.randomUUID().toString();
        AtomicInteger zhang = new AtomicInteger();
        // the first webhook to one dispatcher about this ticket fails: the next one must wait for its retry
        ProviderServer.behave(r -> r.body().contains(ticket) && r.body().contains("person:wk-zhang")
                && zhang.incrementAndGet() == 1 ? new Reply(500, 0) : Reply.OK);

        send("sla-events", ticket, ProducerEvents.sla("sla.warning", ticket, "RESPOND", Instant.now(), Map.of()));
        send("sla-events", ticket, ProducerEvents.sla("sla.breached", ticket, "RESPOND", Instant.now(), Map.of()));

        await().atMost(Duration.ofSeconds(20)).until(() -> rows(ticket, DeliveryStatus.SENT).size() == 6);
        List<String> toZhang = ProviderServer.about(ticket).stream()
                .filter(r -> r.path().equals("/webhook") && r.body().contains("person:wk-zhang"))
                .map(r -> r.json().path("eventType").asText()).toList();
        assertEquals(List.of("sla.warning", "sla.warning", "sla.breached"), toZhang);
    }

    @Test
    void theConsoleStreamPushesAStreetsNotificationsLive() throws Exception {
        try (SseStream lines = SseStream.open(stream + "?street=wukang", TestTokens.dispatcher("wk-zhang", "wukang"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> console.subscribers() > 0);
            String ticket = UUID.randomUUID().toString();
            String elsewhere = UUID.randomUUID().toString();
            send("sla-events", elsewhere, ProducerEvents.sla("sla.warning", elsewhere, "RESPOND", Instant.now(),
                    Map.of("street", "qianqiu")));
            send("sla-events", ticket, ProducerEvents.sla("sla.warning", ticket, "RESPOND", Instant.now(), Map.of()));

            await().atMost(Duration.ofSeconds(20)).until(() -> lines.data().stream().anyMatch(l -> l.contains(ticket)));
            String data = lines.data().stream().filter(l -> l.contains(ticket)).findFirst().orElseThrow();
            assertTrue(data.startsWith("{"), "a JSON payload: " + data);
            assertTrue(data.contains("\"channel\":\"CONSOLE\"") && data.contains("【预警】武康街道"), data);
            await().atMost(Duration.ofSeconds(20)).until(() -> rows(elsewhere, DeliveryStatus.SENT).size() == 1);
            assertTrue(lines.data().stream().noneMatch(l -> l.contains(elsewhere)), "another street's console is not shown");
        }
    }

    @Test
    void askingForAnUnknownStatusIsAProblem() {
        given().queryParam("status", "LOST").get("/api/notifications").then().statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("status"));
    }

    @Test
    void aRowAnotherReplicaReclaimedIsNotSentByTheWorkerThatLostIt() {
        String ticket = UUID.randomUUID().toString();
        UUID otherReplica = UUID.randomUUID();
        List<Instant> takenOverAt = new CopyOnWriteArrayList<>();
        // between this worker's claim and its send, the worker stalls past its lease and another
        // replica re-claims the webhook row: the row now carries that replica's token and lease
        // (locked first: once the lease has run out, this worker's own loop could claim it as well)
        attempts.beforeSend(id -> QuarkusTransaction.requiringNew().run(() -> {
            Notification n = Notification.findById(id, LockModeType.PESSIMISTIC_WRITE);
            if (n != null && n.ticketId.toString().equals(ticket) && n.channel == Channel.WEBHOOK && takenOverAt.isEmpty()) {
                clock.advance(lease);
                n.claimToken = otherReplica;
                n.nextAttemptAt = clock.instant().plus(Duration.ofHours(1));
                takenOverAt.add(clock.instant());
            }
        }));
        try {
            send("dispatch-events", ticket, extensionRequested(ticket));

            await().atMost(Duration.ofSeconds(20)).until(() -> status(ticket, Channel.CONSOLE) == DeliveryStatus.SENT
                    && !takenOverAt.isEmpty());
            // the send that found the row taken over has returned
            idleAfter(takenOverAt.get(0));
            assertEquals(0, ProviderServer.about(ticket).stream().filter(r -> r.path().equals("/webhook")).count(),
                    "the worker that lost the row does not send it");
            Notification held = row(ticket, Channel.WEBHOOK);
            assertEquals(DeliveryStatus.PENDING, held.status);
            assertEquals(0, held.attempts, "nor records an attempt on it");
            assertEquals(otherReplica, held.claimToken);
        } finally {
            attempts.beforeSend(null);
            clock.reset();
            // the other replica's lease runs out without it sending: the row is claimed afresh
            QuarkusTransaction.requiringNew().run(() -> Notification.update(
                    "nextAttemptAt = ?1 where ticketId = ?2 and status = ?3", clock.instant(), UUID.fromString(ticket),
                    DeliveryStatus.PENDING));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> status(ticket, Channel.WEBHOOK) == DeliveryStatus.SENT);
        assertEquals(1, ProviderServer.about(ticket).stream().filter(r -> r.path().equals("/webhook")).count(),
                "sent exactly once, by the claim that holds it");
        assertEquals(1, row(ticket, Channel.WEBHOOK).attempts);
    }

    @Test
    void aWorkerThatStalledPastItsLeaseSendsTheRowOnce() {
        String ticket = UUID.randomUUID().toString();
        List<Instant> stalled = new CopyOnWriteArrayList<>();
        // between the claim and the send the worker stalls past its lease; no other replica claims
        // the row. Either the sender renews it and sends, or (the row being due again) the worker's
        // own loop re-claims it first, the stalled sender's renewal then matches nothing and the new
        // claim sends: once, either way.
        attempts.beforeSend(id -> QuarkusTransaction.requiringNew().run(() -> {
            Notification n = Notification.findById(id);
            if (n != null && n.ticketId.toString().equals(ticket) && n.channel == Channel.WEBHOOK && stalled.isEmpty()) {
                clock.advance(lease);
                stalled.add(clock.instant());
            }
        }));
        try {
            send("dispatch-events", ticket, extensionRequested(ticket));

            await().atMost(Duration.ofSeconds(20)).until(() -> status(ticket, Channel.WEBHOOK) == DeliveryStatus.SENT);
            assertEquals(1, ProviderServer.about(ticket).stream().filter(r -> r.path().equals("/webhook")).count(),
                    "sent once");
            assertEquals(1, row(ticket, Channel.WEBHOOK).attempts);
            assertEquals(1, stalled.size());
        } finally {
            attempts.beforeSend(null);
            clock.reset();
        }
    }

    /**
     * A burst of rows goes out on several senders at once, each row exactly once, and one
     * recipient still gets a ticket's messages in order while other tickets' rows pass them.
     */
    @Test
    void aBurstIsSentInParallelEachRowOnceAndInOrderPerRecipient() {
        int tickets = 12;
        List<String> ids = Stream.generate(() -> UUID.randomUUID().toString()).limit(tickets).toList();
        // a receiver that takes 40 ms per call: one sender alone would need about 2 s for the burst
        ProviderServer.behave(r -> ids.stream().anyMatch(t -> r.body().contains(t)) ? new Reply(200, 40) : Reply.OK);
        // per ticket: three messages to one dispatcher, then one to the other; each rank its own
        // transaction, so seq follows the rank as it does for events consumed one after another
        for (int rank = 0; rank < 4; rank++) {
            int k = rank;
            QuarkusTransaction.requiringNew().run(() -> {
                for (String ticket : ids) {
                    String recipient = k < 3 ? "person:wk-zhang" : "person:wk-li";
                    Notification n = new Notification();
                    n.id = UUID.randomUUID();
                    n.ticketId = UUID.fromString(ticket);
                    n.eventId = UUID.randomUUID().toString();
                    n.eventType = "sla.warning";
                    n.eventTime = Instant.now();
                    n.street = "wukang";
                    n.recipient = recipient;
                    n.channel = Channel.WEBHOOK;
                    n.address = webhookUrl;
                    n.text = "burst " + k;
                    n.body = "{\"ticketId\":\"" + ticket + "\",\"recipient\":\"" + recipient + "\",\"n\":" + k + "}";
                    n.status = DeliveryStatus.PENDING;
                    n.nextAttemptAt = clock.instant();
                    n.createdAt = Instant.now();
                    n.persist();
                }
            });
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> ids.stream().allMatch(t -> rows(t, DeliveryStatus.SENT).size() == 4));
        List<Received> hits = ProviderServer.received().stream().filter(r -> ids.stream().anyMatch(t -> r.body().contains(t)))
                .toList();
        assertEquals(4 * tickets, hits.size(), "one call per row");
        assertEquals(4 * tickets, hits.stream().map(r -> r.header(WebhookSender.DELIVERY)).distinct().count(), "no row twice");
        for (String ticket : ids) {
            List<Integer> toZhang = ProviderServer.about(ticket).stream()
                    .filter(r -> r.json().path("recipient").asText().equals("person:wk-zhang"))
                    .map(r -> r.json().path("n").asInt()).toList();
            assertEquals(List.of(0, 1, 2), toZhang, "ticket " + ticket);
            assertTrue(rows(ticket).stream().allMatch(n -> n.attempts == 1 && n.sentAt != null && n.nextAttemptAt == null));
        }
        assertTrue(ProviderServer.mostInFlight() > 1, "sent in parallel: at most " + ProviderServer.mostInFlight() + " at once");
    }

    /**
     * Free text (a return note, an extension reason) may hold a caller's name or number: a webhook
     * carries it only to a receiver who may see the caller in full (the street's dispatchers), never
     * to a supervisor; the body says what was withheld.
     */
    @Test
    void freeTextTravelsToAWebhookOnlyWhenItsReceiverMaySeeTheCaller() throws Exception {
        String ticket = UUID.randomUUID().toString();
        String text = "来电人王先生 13812345678 要求回电";
        send("dispatch-events", ticket, ProducerEvents.dispatch("extension.requested", ticket, Instant.now(), Map.of("assignmentId",
                UUID.randomUUID().toString(), "unitId", "wk-grid-03", "unitType", "GRID_WORKER", "role", "LEAD",
                "stage", "RESOLVE", "reason", text)));
        send("dispatch-events", ticket, ProducerEvents.example("assignment.returned", Instant.now(),
                Map.of("0b6f7c1e-2a44-4d6b-9f3e-8c2d1a5b7e90", ticket, "地址属千秋社区", text)));

        // one webhook to the command-room supervisor (extension), one to each of the two dispatchers (return)
        await().atMost(Duration.ofSeconds(20)).until(() -> ProviderServer.about(ticket).stream()
                .filter(r -> r.path().equals("/webhook")).count() == 3);
        List<Received> hooks = ProviderServer.about(ticket).stream().filter(r -> r.path().equals("/webhook")).toList();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (Received hook : hooks) {
            com.fasterxml.jackson.databind.JsonNode body = json.readTree(hook.body());
            String role = body.path("recipient").path("role").asText();
            if (role.equals("COMMAND_ROOM_SUPERVISOR")) {
                assertTrue(!hook.body().contains("13812345678") && !hook.body().contains("王先生"), hook.body());
                assertEquals("reason", body.path("withheld").path(0).asText(), hook.body());
                assertEquals("RESOLVE", body.path("data").path("stage").asText(), "the rest of the data travels");
            } else {
                assertEquals("DISPATCHER", role, hook.body());
                assertEquals(text, body.path("data").path("note").asText(), "the street's dispatcher sees the note");
                assertTrue(body.path("withheld").isMissingNode(), hook.body());
                assertEquals("NOT_OUR_JURISDICTION", body.path("data").path("reasonCode").asText());
            }
        }
    }
}

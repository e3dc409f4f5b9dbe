package org.hotline.loadgen;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The people around the tickets of this run, reacting to the events as their consoles and phones
 * would tell them: the street's command room takes each ticket (签收) and contacts the caller, closes
 * it once the lead reports it done, and re-dispatches a reopened one; each assigned unit's first
 * member acknowledges, arrives and resolves after the scenario's delays (members of "no-show" units
 * acknowledge and never arrive, so ON_SCENE breaches and escalates); the operator makes the
 * follow-up call (回访), now and then to a dissatisfied caller, which reopens the ticket.
 *
 * <p>Events about a ticket whose id is not known yet (a REST answer still on its way, or a ticket
 * that is not this run's) wait up to a minute for it.
 */
public final class People {

    private final Scenario scenario;
    private final Observations obs;
    private final Api api;
    private final Tokens tokens;
    private final ScheduledExecutorService timer;
    private final ExecutorService workers;
    private final AtomicInteger queued = new AtomicInteger();
    private final String dispatchUrl;
    private final String intakeUrl;
    private final String street;
    private final String[] dispatchers;
    private final Object lock = new Object();
    private final Map<UUID, List<Parked>> parked = new ConcurrentHashMap<>();
    private volatile boolean acting = true;

    private record Parked(EventTap.Event event, long atNanos) {
    }

    public People(Scenario scenario, Observations obs, Api api, Tokens tokens, ScheduledExecutorService timer,
            ExecutorService workers, String intakeUrl, String dispatchUrl, String street) {
        this.scenario = scenario;
        this.obs = obs;
        this.api = api;
        this.tokens = tokens;
        this.timer = timer;
        this.workers = workers;
        this.intakeUrl = intakeUrl;
        this.dispatchUrl = dispatchUrl;
        this.street = street;
        this.dispatchers = new String[] {"wk-zhang", "wk-li"};
    }

    /** Stop acting (the run is over); events are still observed. */
    public void stopActing() {
        acting = false;
    }

    /** A REST report became ticket {@code id}: register it and replay what was waiting for it. */
    public void registerRest(UUID id, long index) {
        List<Parked> waiting;
        synchronized (lock) {
            Observations.Ticket t = obs.ticket(id);
            t.index = index;
            t.channel = Scenario.Channel.REST;
            waiting = parked.remove(id);
        }
        if (waiting != null) {
            waiting.forEach(p -> handle(p.event()));
        }
    }

    /** Every event from the tap. */
    public void onEvent(EventTap.Event e) {
        if (e.topic().equals("ticket-events") && (e.type().equals("ticket.received") || e.type().equals("ticket.repeat-reported"))) {
            long index = scenario.indexOfRef(e.text("upstreamRef"));
            if (e.type().equals("ticket.repeat-reported")) {
                if (index >= 0) {
                    obs.outcomes.put(index, "repeat");
                }
                if (index >= 0 || obs.known(e.subject())) {
                    obs.count("repeat reported (" + e.text("matchedBy") + ")");
                }
                return;
            }
            if (index >= 0) {
                List<Parked> waiting;
                synchronized (lock) {
                    Observations.Ticket t = obs.ticket(e.subject());
                    t.index = index;
                    t.channel = e.text("upstreamRef").contains("-110-") ? Scenario.Channel.FEED_110 : Scenario.Channel.FEED_12345;
                    waiting = parked.remove(e.subject());
                }
                obs.outcomes.put(index, "ticket");
                handle(e);
                if (waiting != null) {
                    waiting.forEach(p -> handle(p.event()));
                }
                return;
            }
        }
        if (e.subject() == null) {
            return;
        }
        synchronized (lock) {
            if (!obs.known(e.subject())) {
                parked.computeIfAbsent(e.subject(), k -> new ArrayList<>()).add(new Parked(e, System.nanoTime()));
                return;
            }
        }
        handle(e);
    }

    /** Forgets events parked for more than a minute: tickets that are not this run's. */
    public void purgeParked() {
        long cutoff = System.nanoTime() - TimeUnit.SECONDS.toNanos(60);
        synchronized (lock) {
            for (Iterator<List<Parked>> it = parked.values().iterator(); it.hasNext();) {
                List<Parked> l = it.next();
                l.removeIf(p -> p.atNanos() < cutoff);
                if (l.isEmpty()) {
                    it.remove();
                }
            }
        }
    }

    private void handle(EventTap.Event e) {
        Observations.Ticket t = obs.find(e.subject());
        if (t == null) {
            return;
        }
        switch (e.type()) {
            case "ticket.received" -> received(t, e);
            case "assignment.created" -> assigned(t, e);
            case "assignment.resolved" -> {
                if ("LEAD".equals(e.text("role"))) {
                    t.resolved = true;
                    Scenario.Behaviour b = scenario.behaviour(t.index);
                    later(b.closeDelayMs(), () -> post("close", dispatchUrl + "/api/dispatch/tickets/" + t.id + "/close",
                            dispatcherToken(t), null));
                }
            }
            case "ticket.closed" -> closed(t);
            case "ticket.reopened" -> reopened(t);
            case "sla.warning", "sla.breached", "sla.escalated" -> {
                JsonNode lvl = e.data().get("level");
                obs.fires.add(new Observations.SlaFire(e.type(), e.text("stage"), lvl == null ? 0 : lvl.asInt(),
                        e.data().path("latenessMs").asLong(0), e.instant("dueAt"), e.instant("firedAt")));
            }
            case "sla.stage-met" -> obs.count("stage met " + e.text("stage")
                    + (e.data().path("onTime").asBoolean(true) ? " on time" : " late"));
            case "assignment.ack-lapsed" -> obs.count("ack lapsed");
            case "escalation.action-taken" -> obs.count("escalation action " + e.text("action") + " " + e.text("outcome"));
            case "assignment.arrived" -> obs.count("arrived");
            case "assignment.acknowledged" -> obs.count("acknowledged");
            default -> {
                // other types are not needed here
            }
        }
    }

    private void received(Observations.Ticket t, EventTap.Event e) {
        if (t.receivedAt != null) {
            return; // a redelivery
        }
        t.receivedAt = e.instant("receivedAt");
        t.reportedAt = e.instant("reportedAt");
        t.receivedEventId = e.id();
        t.receivedPublishedMs = e.recordMs();
        t.complexity = e.text("complexity");
        t.category = e.text("category");
    }

    /**
     * The command room takes a ticket once it is in its queue, i.e. once dispatch has it (known here by
     * its first assignment.created: auto-dispatch is the same transaction), after the scenario's delay
     * (a late take: so long after receipt), and calls the caller right after.
     */
    private void commandRoom(Observations.Ticket t) {
        Scenario.Behaviour b = scenario.behaviour(t.index);
        long delay = b.takeDelayMs();
        if (b.lateTake() && t.receivedAt != null) {
            delay = Math.max(0, b.takeDelayMs() - java.time.Duration.between(t.receivedAt, Instant.now()).toMillis());
        }
        String token = dispatcherToken(t);
        String ticket = dispatchUrl + "/api/dispatch/tickets/" + t.id;
        later(delay, () -> post("take", ticket + "/take", token, null)
                .thenRun(() -> later(b.contactDelayMs(), () -> post("caller-contacted", ticket + "/caller-contacted", token, null))));
    }

    private void assigned(Observations.Ticket t, EventTap.Event e) {
        boolean lead = "LEAD".equals(e.text("role"));
        if (lead && t.dispatchedAt == null && t.round == 0) {
            t.dispatchedAt = e.instant("dispatchedAt");
            t.dispatchedPublishedMs = e.recordMs();
            t.firstUnit = e.text("unitId");
            t.automatic = e.data().path("automatic").asBoolean(false);
        }
        obs.count("assignment " + e.text("reason") + (lead ? " lead" : " assist"));
        if (t.index < 0) {
            return;
        }
        int n = t.assignments.getAndIncrement();
        if (n == 0 && t.round == 0) {
            commandRoom(t);
        }
        String unit = e.text("unitId");
        String assignment = e.text("assignmentId");
        String token = tokens.field(unit, unit + "-m1");
        String base = dispatchUrl + "/api/field/assignments/" + assignment;
        Scenario.FieldPlan plan = scenario.field(t.index, n);
        boolean noShow = scenario.noShow(unit);
        later(plan.ackDelayMs(), () -> post("acknowledge", base + "/acknowledge", token, null).thenAccept(ack -> {
            if (!ack.ok() || noShow) {
                if (noShow && ack.ok()) {
                    obs.count("no-show acknowledged, never arrives");
                }
                return;
            }
            later(plan.arriveDelayMs(), () -> post("arrive", base + "/arrive", token, null).thenAccept(arr -> {
                if (arr.ok() && lead) {
                    later(plan.resolveDelayMs(), () -> post("resolve", base + "/resolve", token,
                            "{\"outcome\":\"SOLVED\",\"note\":\"已到场处理完毕（压测）\"}"));
                }
            }));
        }));
    }

    private void closed(Observations.Ticket t) {
        t.closed = true;
        if (t.index < 0 || t.followedUp) {
            return;
        }
        Scenario.Behaviour b = scenario.behaviour(t.index);
        if (b.followUp() == Scenario.FollowUp.NONE) {
            return;
        }
        t.followedUp = true;
        String body = b.followUp() == Scenario.FollowUp.DISSATISFIED
                ? "{\"reached\":true,\"satisfaction\":\"DISSATISFIED\",\"comment\":\"问题依旧（压测回访）\"}"
                : "{\"reached\":true,\"satisfaction\":\"SATISFIED\",\"comment\":\"满意（压测回访）\"}";
        later(b.followUpDelayMs(), () -> post("follow-up", intakeUrl + "/api/tickets/" + t.id + "/follow-up",
                tokens.operator("op-chen"), body));
        obs.count("follow-up " + b.followUp());
    }

    /** Reopened: dispatch puts it back as NEW without dispatching; the command room takes and dispatches it again. */
    private void reopened(Observations.Ticket t) {
        t.round++;
        t.resolved = false;
        t.closed = false;
        if (t.index < 0) {
            return;
        }
        String token = dispatcherToken(t);
        String ticket = dispatchUrl + "/api/dispatch/tickets/" + t.id;
        Scenario.Behaviour b = scenario.behaviour(t.index);
        later(b.takeDelayMs(), () -> post("take", ticket + "/take", token, null)
                .thenComposeAsync(x -> CompletableFuture.completedFuture(
                        api.send("recommendations", "GET", ticket + "/recommendations", token, null).join()), workers)
                .thenAccept(rec -> {
                    String unit = firstUnit(rec);
                    if (unit == null) {
                        obs.count("reopened: no unit to dispatch");
                        return;
                    }
                    post("dispatch", ticket + "/dispatch", token,
                            "{\"units\":[{\"unitId\":\"" + unit + "\",\"role\":\"LEAD\"}]}")
                            .thenRun(() -> post("caller-contacted", ticket + "/caller-contacted", token, null));
                }));
    }

    private static String firstUnit(Api.Resp rec) {
        if (!rec.ok()) {
            return null;
        }
        try {
            JsonNode n = Api.JSON.readTree(rec.body());
            JsonNode list = n.isArray() ? n : n.path("recommendations");
            if (list.isArray() && list.size() > 0) {
                JsonNode first = list.get(0);
                return first.has("unitId") ? first.get("unitId").asText() : first.path("unit").path("unitId").asText(null);
            }
        } catch (Exception e) {
            // unexpected shape: counted by the caller
        }
        return null;
    }

    private String dispatcherToken(Observations.Ticket t) {
        return tokens.dispatcher(dispatchers[(int) Math.floorMod(t.index, (long) dispatchers.length)], street);
    }

    /**
     * Runs one person's request on the people's own threads (at most {@code workers}' size at once,
     * the rest queue): never blocks the caller, and never the HTTP client's threads.
     */
    private CompletableFuture<Api.Resp> post(String kind, String url, String token, String body) {
        if (!acting) {
            return CompletableFuture.completedFuture(new Api.Resp(-1, "run over"));
        }
        queued.incrementAndGet();
        return CompletableFuture.supplyAsync(() -> {
            queued.decrementAndGet();
            return api.send(kind, "POST", url, token, body).join();
        }, workers);
    }

    /** People's requests waiting for a free worker (grows when the services fall behind). */
    public int queued() {
        return queued.get();
    }

    private void later(long delayMs, Runnable action) {
        if (!acting) {
            return;
        }
        timer.schedule(() -> {
            try {
                action.run();
            } catch (RuntimeException ex) {
                System.err.println("loadgen: action failed: " + ex);
            }
        }, Math.max(0, delayMs), TimeUnit.MILLISECONDS);
    }

    /** For the report: when this run's people stopped. */
    public Instant now() {
        return Instant.now();
    }
}

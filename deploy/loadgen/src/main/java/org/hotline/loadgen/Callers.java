package org.hotline.loadgen;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The citizens' side, open loop: report {@code i} is due at {@code start + i / rate}, whatever the
 * system answers. An operator posts it over REST (as op-chen), or the 110 system / the provincial
 * 12345 platform puts it on its upstream topic. A REST report's latency counts from its due
 * instant (a report the client could not send on time because {@code max-in-flight} requests were
 * still open waits, and that wait is counted), so a slow system cannot hide behind a slow client.
 */
public final class Callers implements AutoCloseable {

    private static final DateTimeFormatter OFFSET_TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneOffset.ofHours(8));

    private final Scenario scenario;
    private final Api api;
    private final Tokens tokens;
    private final Stats stats;
    private final Observations obs;
    private final People people;
    private final String intakeUrl;
    private final String street;
    private final Semaphore inFlight;
    private final KafkaProducer<String, String> producer;
    private volatile boolean stop;

    public Callers(Scenario scenario, Api api, Tokens tokens, Stats stats, Observations obs, People people,
            String intakeUrl, String bootstrap, String street, int maxInFlight) {
        this.scenario = scenario;
        this.api = api;
        this.tokens = tokens;
        this.stats = stats;
        this.obs = obs;
        this.people = people;
        this.intakeUrl = intakeUrl;
        this.street = street;
        this.inFlight = new Semaphore(maxInFlight);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "2");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "loadgen-upstream");
        this.producer = new KafkaProducer<>(p);
    }

    public void stop() {
        stop = true;
    }

    /**
     * Sends reports 0..count-1 at {@code rate} per second from {@code startNanos}, until
     * {@code deadlineNanos}: a report the client could not send by then (all {@code max-in-flight}
     * creations still open: the system is behind) is not sent at all, so a run keeps its length.
     * Returns how many were sent.
     */
    public long run(long count, double rate, long startNanos, long deadlineNanos) throws InterruptedException {
        long i = 0;
        for (; i < count && !stop; i++) {
            long due = startNanos + (long) (i * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (!send(scenario.report(i), due, deadlineNanos)) {
                break;
            }
        }
        return i;
    }

    /** Waits until every REST request is answered (at most {@code seconds}). */
    public void awaitAnswers(int seconds, int maxInFlight) throws InterruptedException {
        if (inFlight.tryAcquire(maxInFlight, seconds, TimeUnit.SECONDS)) {
            inFlight.release(maxInFlight);
        }
        producer.flush();
    }

    /** False when the deadline passed before the report could be sent. */
    boolean send(Scenario.Report r, long dueNanos, long deadlineNanos) throws InterruptedException {
        if (System.nanoTime() > deadlineNanos) {
            return false;
        }
        switch (r.channel()) {
            case REST -> {
                return rest(r, dueNanos, deadlineNanos);
            }
            case FEED_110 -> feed("upstream.110-handover", r, upstream110(r), dueNanos, "publish 110");
            case FEED_12345 -> feed("upstream.12345-orders", r, upstream12345(r), dueNanos, "publish 12345");
        }
        return true;
    }

    private boolean rest(Scenario.Report r, long dueNanos, long deadlineNanos) throws InterruptedException {
        if (!inFlight.tryAcquire(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            return false;
        }
        String body = restBody(r).toString();
        api.send("create ticket", "POST", intakeUrl + "/api/tickets", tokens.operator("op-chen"), body).whenComplete((resp, x) -> {
            inFlight.release();
            long fromDue = (System.nanoTime() - dueNanos) / 1_000;
            stats.createInterval.recordValue(Math.max(0, Math.min(fromDue, 3_599_999_999L)));
            stats.kind("create ticket (from its due instant)").micros.recordValue(Math.max(0, Math.min(fromDue, 3_599_999_999L)));
            stats.countSent();
            if (resp == null) {
                obs.outcomes.put(r.index(), "error");
                return;
            }
            try {
                if (resp.status() == 201) {
                    UUID id = UUID.fromString(Api.JSON.readTree(resp.body()).get("id").asText());
                    obs.outcomes.put(r.index(), "ticket");
                    people.registerRest(id, r.index());
                } else if (resp.status() == 200) {
                    JsonNode n = Api.JSON.readTree(resp.body());
                    if (n.hasNonNull("repeatOf")) {
                        obs.outcomes.put(r.index(), "repeat");
                        obs.count("repeat reported over REST (" + n.path("matchedBy").asText() + ")");
                    } else {
                        obs.outcomes.put(r.index(), "replayed");
                    }
                } else {
                    obs.outcomes.put(r.index(), "error");
                    obs.count("create refused " + resp.status());
                }
            } catch (Exception e) {
                obs.outcomes.put(r.index(), "error");
                obs.count("create answer unreadable");
            }
        });
        return true;
    }

    private void feed(String topic, Scenario.Report r, ObjectNode record, long dueNanos, String kind) {
        producer.send(new ProducerRecord<>(topic, r.upstreamRef(), record.toString()), (md, e) -> {
            long fromDue = (System.nanoTime() - dueNanos) / 1_000;
            stats.record(kind, e == null ? 200 : 0, fromDue);
            stats.countSent();
            if (e != null) {
                stats.feedErrors.increment();
                obs.outcomes.put(r.index(), "error");
            }
        });
    }

    ObjectNode restBody(Scenario.Report r) {
        ObjectNode b = Api.JSON.createObjectNode();
        b.put("source", "HOTLINE_12345");
        b.putObject("caller").put("name", r.callerName()).put("phone", r.phone());
        ObjectNode loc = b.putObject("location");
        loc.put("address", r.address());
        if (r.lat() != null) {
            loc.put("latitude", r.lat()).put("longitude", r.lng());
        }
        loc.put("street", street).put("grid", r.grid());
        b.put("category", r.category());
        b.put("complexity", r.complexity());
        b.put("description", r.description());
        return b;
    }

    ObjectNode upstream110(Scenario.Report r) {
        Instant now = Instant.now();
        ObjectNode b = Api.JSON.createObjectNode();
        b.put("incidentNo", r.upstreamRef());
        b.put("callTime", OFFSET_TIME.format(now.minusMillis(r.reportedAgoMs())));
        b.put("handoverTime", OFFSET_TIME.format(now));
        b.put("callerName", r.callerName());
        b.put("callerPhone", r.phone());
        b.put("address", r.address());
        if (r.lat() != null) {
            b.put("latitude", r.lat()).put("longitude", r.lng());
        }
        b.put("street", street);
        b.put("grid", r.grid());
        b.put("category", r.category());
        b.put("complexity", r.complexity());
        b.put("summary", "报警人称：" + r.description() + "。非警务类求助，移交12345处置");
        b.put("policeStation", "武康派出所");
        b.put("alarmType", "非警务求助");
        return b;
    }

    ObjectNode upstream12345(Scenario.Report r) {
        Instant now = Instant.now();
        ObjectNode b = Api.JSON.createObjectNode();
        b.put("orderNo", r.upstreamRef());
        b.put("acceptedAt", OFFSET_TIME.format(now.minusMillis(r.reportedAgoMs())));
        b.put("pushedAt", OFFSET_TIME.format(now));
        b.putObject("appealer").put("name", r.callerName()).put("phone", r.phone());
        b.put("content", r.description());
        b.put("address", r.address());
        if (r.lat() != null) {
            b.putObject("coordinate").put("lat", r.lat()).put("lng", r.lng());
        }
        b.put("street", street);
        b.put("grid", r.grid());
        b.put("categoryCode", r.category());
        b.put("complexity", r.complexity());
        b.put("channel", "PHONE");
        b.put("replyDeadline", OFFSET_TIME.format(now.plusSeconds(5 * 86_400)));
        return b;
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}

package org.hotline.system;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import org.hotline.backbone.testing.EventProbe;

/**
 * The guarantees a fault run must keep, checked across the four services' schemas and the SLA
 * topic by ticket and event id. Each check returns what is wrong (empty: kept), so a failing run
 * names every broken ticket at once.
 */
final class Reconciliation {

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final List<String> tickets;

    Reconciliation(String jdbcUrl, String user, String password, List<String> tickets) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.tickets = tickets; // read at each check: a run adds tickets as it goes
    }

    /** Every ticket is known to intake, dispatch, the SLA service (four stage clocks) and notification. */
    List<String> everyTicketInEveryService() throws Exception {
        List<String> wrong = new ArrayList<>();
        Map<String, String> queries = new TreeMap<>(Map.of(
                "intake", "select id::text, 1 from intake.ticket where id = any(?) group by id",
                "dispatch", "select id::text, 1 from dispatch.dispatch_ticket where id = any(?) group by id",
                "sla (4 stage clocks)", "select ticket_id::text, count(*) from sla.stage_clock where ticket_id = any(?)"
                        + " group by ticket_id having count(*) = 4",
                "notification", "select ticket_id::text, count(*) from notification.notification where ticket_id = any(?)"
                        + " group by ticket_id"));
        for (Map.Entry<String, String> q : queries.entrySet()) {
            Set<String> found = counts(q.getValue()).keySet();
            for (String t : tickets) {
                if (!found.contains(t)) {
                    wrong.add(t + " missing in " + q.getKey());
                }
            }
        }
        return wrong;
    }

    /** Exactly one open lead unit per ticket (never none, never two). */
    List<String> exactlyOneLead() throws Exception {
        Map<String, Long> leads = counts("select ticket_id::text, count(*) from dispatch.assignment where ticket_id = any(?)"
                + " and role = 'LEAD' and status in ('OFFERED', 'ACKNOWLEDGED', 'ON_SCENE') group by ticket_id");
        return tickets.stream().filter(t -> leads.getOrDefault(t, 0L) != 1)
                .map(t -> t + " has " + leads.getOrDefault(t, 0L) + " open lead units").toList();
    }

    /** Timers that fell due before {@code before} and are neither fired nor cancelled. */
    List<String> dueButNotFired(Instant before) throws Exception {
        List<String> wrong = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("select t.ticket_id, s.stage, t.kind, t.level, t.due_at"
                + " from sla.timer t join sla.stage_clock s on s.id = t.clock_id where t.ticket_id = any(?)"
                + " and t.due_at < ? and t.fired_at is null and not t.cancelled")) {
            ps.setArray(1, ids(c));
            ps.setTimestamp(2, java.sql.Timestamp.from(before));
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    wrong.add(r.getString(1) + " " + r.getString(2) + " " + r.getString(3) + " " + r.getInt(4)
                            + " due " + r.getTimestamp(5).toInstant() + " not fired");
                }
            }
        }
        return wrong;
    }

    /** "ticket type stage level" of every SLA decision the engine recorded as published (fired, not skipped). */
    Set<String> firedTimers() throws Exception {
        Set<String> fired = new HashSet<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("select t.ticket_id, s.stage, t.kind, t.level"
                + " from sla.timer t join sla.stage_clock s on s.id = t.clock_id where t.ticket_id = any(?)"
                + " and t.fired_at is not null and t.skip_reason is null")) {
            ps.setArray(1, ids(c));
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    String type = switch (r.getString(3)) {
                        case "WARNING" -> "sla.warning";
                        case "BREACH" -> "sla.breached";
                        default -> "sla.escalated";
                    };
                    fired.add(r.getString(1) + " " + type + " " + r.getString(2) + " " + r.getInt(4));
                }
            }
        }
        return fired;
    }

    /**
     * On the topic: each warning, breach and escalation of a ticket under one event id only (a
     * republished record carries the same id), none before it was due, every breach with its
     * level-1 escalation, nothing the engine did not record as fired ({@code firedAfter}: read after
     * the events) and everything it did ({@code firedBefore}: read before them).
     */
    static List<String> slaEventsExactlyOnce(List<EventProbe.Seen> events, Set<String> firedBefore, Set<String> firedAfter) {
        List<String> wrong = new ArrayList<>();
        Map<String, Set<String>> idsByFiring = new HashMap<>();
        for (EventProbe.Seen e : events) {
            var data = e.json().path("data");
            String firing = e.key() + " " + e.type() + " " + data.path("stage").asText() + " " + data.path("level").asInt(0);
            if (!e.type().equals("sla.warning") && !e.type().equals("sla.breached") && !e.type().equals("sla.escalated")) {
                continue;
            }
            idsByFiring.computeIfAbsent(firing, k -> new HashSet<>()).add(e.json().path("id").asText());
            Instant time = Instant.parse(e.json().path("time").asText());
            Instant due = Instant.parse(data.path("dueAt").asText());
            if (time.isBefore(due.minusMillis(50))) {
                wrong.add(firing + " early: published " + time + ", due " + due);
            }
        }
        idsByFiring.forEach((firing, ids) -> {
            if (ids.size() != 1) {
                wrong.add(firing + " published under " + ids.size() + " event ids");
            }
        });
        for (String firing : idsByFiring.keySet()) {
            if (firing.contains(" sla.breached ")) {
                String level1 = firing.replace(" sla.breached ", " sla.escalated ").replaceAll(" 0$", " 1");
                if (!idsByFiring.containsKey(level1)) {
                    wrong.add(firing + " without its level-1 escalation");
                }
            }
            if (!firedAfter.contains(firing)) {
                wrong.add(firing + " on the topic but not recorded as fired");
            }
        }
        for (String f : firedBefore) {
            if (!idsByFiring.containsKey(f)) {
                wrong.add(f + " recorded as fired, never published");
            }
        }
        return wrong;
    }

    /** One notification per event, recipient and channel; and none sent under two provider request ids. */
    List<String> noNotificationTwice(Map<String, Integer> smsRequests) throws Exception {
        List<String> wrong = new ArrayList<>();
        Map<String, Long> perMessage = counts("select ticket_id::text || ' ' || event_type || ' ' || event_id || ' ' || recipient"
                + " || ' ' || channel, count(*) from notification.notification where ticket_id = any(?) group by 1 having count(*) > 1");
        perMessage.forEach((k, n) -> wrong.add(k + " stored " + n + " times"));
        // one message per SLA decision and recipient, also when the decision was delivered twice
        Map<String, Long> perDecision = counts("select n.ticket_id::text || ' ' || n.event_type || ' ' || n.recipient || ' ' || n.channel"
                + " || ' ' || coalesce(o.payload::json -> 'data' ->> 'stage', '') || ' ' || coalesce(o.payload::json -> 'data' ->> 'level', '')"
                + " || ' ' || coalesce(o.payload::json -> 'data' ->> 'round', ''), count(*)"
                + " from notification.notification n join sla.outbox_event o on o.event_id::text = n.event_id"
                + " where n.ticket_id = any(?) group by 1 having count(*) > 1");
        perDecision.forEach((k, n) -> wrong.add(k + " notified " + n + " times"));
        // the SMS provider got each message under its row's id (it deduplicates on it): a message sent
        // under an id of no row would be a second copy the provider cannot recognise
        Set<String> rows = counts("select id::text, 1 from notification.notification where channel = 'SMS'"
                + " and (ticket_id = any(?) or true) group by id").keySet();
        smsRequests.keySet().stream().filter(id -> !rows.contains(id))
                .forEach(id -> wrong.add("SMS request " + id + " matches no notification"));
        return wrong;
    }

    Map<String, Long> counts(String sql) throws Exception {
        Map<String, Long> out = new HashMap<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, ids(c));
            try (ResultSet r = ps.executeQuery()) {
                while (r.next()) {
                    out.put(r.getString(1), r.getLong(2));
                }
            }
        }
        return out;
    }

    String summary() throws Exception {
        Map<String, Long> fired = new TreeMap<>();
        for (String f : firedTimers()) {
            String kind = f.substring(f.indexOf(' ') + 1);
            fired.merge(kind.replaceAll(" \\d+$", kind.endsWith(" 0") ? "" : " L" + kind.charAt(kind.length() - 1)), 1L, Long::sum);
        }
        long late;
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "select count(*) from sla.timer where ticket_id = any(?) and fired_at is not null and lateness_ms > 1000")) {
            ps.setArray(1, ids(c));
            try (ResultSet r = ps.executeQuery()) {
                r.next();
                late = r.getLong(1);
            }
        }
        return tickets.size() + " tickets; SLA decisions published: " + fired + " (" + late + " more than 1 s late)";
    }

    private java.sql.Array ids(Connection c) throws java.sql.SQLException {
        return c.createArrayOf("uuid", tickets.stream().map(UUID::fromString).toArray());
    }

    private Connection connect() throws java.sql.SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    static String join(List<String> wrong) {
        return wrong.stream().limit(40).collect(Collectors.joining("\n  ", "\n  ", wrong.size() > 40 ? "\n  ..." : ""));
    }
}

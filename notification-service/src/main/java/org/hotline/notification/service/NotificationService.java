package org.hotline.notification.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hotline.backbone.config.BackboneConfig;
import org.hotline.backbone.security.Caller;
import org.hotline.backbone.security.SignedToken;
import org.hotline.notification.config.NotificationConfig;
import org.hotline.notification.messaging.UnitUpdated;
import org.hotline.notification.model.Channel;
import org.hotline.notification.model.DeliveryStatus;
import org.hotline.notification.model.Notification;
import org.hotline.notification.model.UnitProjection;
import org.hotline.notification.service.Rules.Target;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

/**
 * Decides who is told what: applies the configured rules to an event, resolves the recipients
 * (on-duty members from the unit projection, people from the directory, console screens) and
 * writes one row per (event, recipient, channel) with the rendered text and the channel's body,
 * in the consumer's transaction. The delivery worker sends the rows afterwards.
 */
// created at start, so a missing production ack-link secret stops the service there (SignedToken.sharedSecret)
@io.quarkus.runtime.Startup
@ApplicationScoped
public class NotificationService {

    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm");

    private final Clock clock;
    private final NotificationConfig config;
    private final Rules rules;
    private final Templates templates;
    private final ProjectionService projections;
    private final ObjectMapper json;
    private final Event<NotificationsWritten> written;
    private final byte[] ackSecret;
    private final Duration ackTtl;
    private final ZoneId zone;

    public NotificationService(Clock clock, NotificationConfig config, Rules rules, Templates templates,
            ProjectionService projections, ObjectMapper json, Event<NotificationsWritten> written,
            @ConfigProperty(name = "hotline.ack-token.secret", defaultValue = "dev-ack-secret-change-me") String ackSecret,
            @ConfigProperty(name = "hotline.ack-token.ttl", defaultValue = "PT30M") Duration ackTtl,
            BackboneConfig backbone) {
        this.clock = clock;
        this.config = config;
        this.rules = rules;
        this.templates = templates;
        this.projections = projections;
        this.json = json;
        this.written = written;
        this.ackSecret = SignedToken.sharedSecret(ackSecret);
        this.ackTtl = ackTtl;
        this.zone = backbone.timeZone(); // hotline.time-zone: the one zone of every local time
    }

    public boolean handles(String type) {
        return rules.handles(type);
    }

    /** Writes the event's notifications; returns how many rows. Runs in the consumer's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int notify(Occurrence occ) {
        List<Target> targets = rules.targets(occ.type(), occ.level());
        if (targets.isEmpty()) {
            return 0;
        }
        String street = occ.text("street");
        if (street == null) {
            UnitProjection unit = projections.unit(occ.text("unitId"));
            street = unit == null ? null : unit.street;
        }
        Instant now = clock.instant();
        Set<String> seen = new HashSet<>();
        int count = 0;
        for (Target target : targets) {
            for (Recipient r : recipients(target, occ, street, now)) {
                for (Channel channel : target.channels()) {
                    if (!seen.add(r.id() + "|" + channel)) {
                        continue; // named by two targets: told once per channel
                    }
                    String address = address(channel, r, street);
                    if (address == null) {
                        continue; // channel not configured, or no phone/URL for this recipient
                    }
                    persist(occ, street, r, channel, address, now);
                    count++;
                }
            }
        }
        if (count > 0) {
            written.fire(new NotificationsWritten(count));
        }
        return count;
    }

    private void persist(Occurrence occ, String street, Recipient r, Channel channel, String address, Instant now) {
        String locale = templates.resolvedLocale(occ.type(), r.locale());
        Map<String, Object> model = model(occ, street, r, locale, now);
        Notification n = new Notification();
        n.id = UUID.randomUUID();
        n.ticketId = occ.ticketId();
        n.eventId = occ.eventId();
        n.eventType = occ.type();
        n.eventTime = occ.time();
        n.street = street;
        n.recipient = r.id();
        n.recipientName = r.name();
        n.recipientRole = r.role();
        n.channel = channel;
        n.address = address;
        n.text = templates.render(occ.type(), r.locale(), model);
        n.body = body(n, occ, r, locale, model);
        n.status = DeliveryStatus.PENDING;
        n.attempts = 0;
        n.nextAttemptAt = now;
        n.createdAt = now;
        n.persist();
    }

    private List<Recipient> recipients(Target target, Occurrence occ, String street, Instant now) {
        List<Recipient> out = new ArrayList<>();
        switch (target.who()) {
            case UNIT_ON_DUTY -> {
                String unit = occ.text("unitId") != null ? occ.text("unitId") : projections.leadUnit(occ.ticketId());
                members(unit, occ, out);
            }
            case ASSIGNED_UNITS_ON_DUTY -> {
                List<String> units = new ArrayList<>(projections.assignedUnits(occ.ticketId()));
                if (occ.text("unitId") != null && !units.contains(occ.text("unitId"))) {
                    units.add(occ.text("unitId"));
                }
                units.forEach(u -> members(u, occ, out));
            }
            case UNIT -> {
                String unit = occ.text("unitId") != null ? occ.text("unitId") : projections.leadUnit(occ.ticketId());
                if (unit != null) {
                    out.add(new Recipient("unit:" + unit, unitName(unit, occ), "UNIT", null, null,
                            config.defaultLocale(), unit, null));
                }
            }
            case COMMAND_ROOM -> {
                if (street != null) {
                    out.add(new Recipient("room:" + street, streetName(street) + "指挥室", "COMMAND_ROOM", null, null,
                            config.defaultLocale(), null, null));
                }
            }
            case ESCALATION_RECIPIENT -> people(occ.text("recipient"), street, out);
            case ROLE -> people(target.role(), street, out);
        }
        return out;
    }

    /** The members dispatch named on the unit's order (its duty roster decides; see ProjectionService.membersToTell). */
    private void members(String unitId, Occurrence occ, List<Recipient> out) {
        if (unitId == null) {
            return;
        }
        for (UnitUpdated.Member m : projections.membersToTell(unitId, occ.ticketId())) {
            out.add(new Recipient("member:" + unitId + "/" + m.memberId(), m.name() == null ? m.memberId() : m.name(),
                    m.role() == null ? "FIELD" : m.role(), m.phone(), null, config.defaultLocale(), unitId, m.memberId()));
        }
    }

    /** Directory people of a role: those of the event's street, and those without a street (county level). */
    private void people(String role, String street, List<Recipient> out) {
        if (role == null) {
            return;
        }
        config.directory().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            NotificationConfig.Person p = e.getValue();
            if (role.equals(p.role()) && (p.street().isEmpty() || p.street().get().equals(street))) {
                out.add(new Recipient("person:" + e.getKey(), p.name(), p.role(), p.phone().orElse(null),
                        p.webhook().orElse(null), p.locale().orElse(config.defaultLocale()), null, null));
            }
        });
    }

    private String address(Channel channel, Recipient r, String street) {
        return switch (channel) {
            case SMS -> config.sms().url().isPresent() && r.phone() != null && !r.phone().isBlank() ? r.phone() : null;
            case WEBHOOK -> r.webhook() != null ? r.webhook() : config.webhook().url().orElse(null);
            case CONSOLE -> street == null ? "" : street;
        };
    }

    private Map<String, Object> model(Occurrence occ, String street, Recipient r, String locale, Instant now) {
        boolean zh = locale.startsWith("zh");
        Model m = new Model();
        occ.data().fields().forEachRemaining(f -> {
            if (f.getValue().isValueNode() && !f.getValue().isNull()) {
                m.put(f.getKey(), f.getValue().asText());
            }
        });
        m.put("ticketId", occ.ticketId().toString());
        m.put("ticketShort", occ.ticketId().toString().substring(0, 8));
        m.put("streetName", zh ? streetName(street) : street);
        String category = occ.text("category");
        m.put("categoryName", category == null ? "" : zh ? config.labels().categories().getOrDefault(category, category) : category);
        String address = occ.text("address") != null ? occ.text("address") : projections.address(occ.ticketId());
        m.put("address", address == null ? "" : address);
        String unit = occ.text("unitId") != null ? occ.text("unitId") : projections.leadUnit(occ.ticketId());
        m.put("unitName", unit == null ? "" : unitName(unit, occ));
        m.put("deadlineLocal", local(occ.text("deadline")));
        m.put("ackDeadlineLocal", local(occ.text("ackDeadline")));
        m.put("stageName", label(zh, occ.text("stage")));
        m.put("roleName", label(zh, occ.text("role")));
        m.put("actionName", label(zh, occ.text("action")));
        m.put("outcomeName", label(zh, occ.text("outcome")));
        m.put("matchedByName", label(zh, occ.text("matchedBy")));
        m.put("recipientName", r.name() == null ? "" : r.name());
        if (r.memberId() != null && "assignment.created".equals(occ.type()) && occ.text("assignmentId") != null) {
            m.put("ackLink", config.ackLinkBase() + SignedToken.sign(ackSecret,
                    Map.of("assignment", occ.text("assignmentId"), "member", r.memberId()), now.plus(ackTtl)));
        }
        return m;
    }

    private String body(Notification n, Occurrence occ, Recipient r, String locale, Map<String, Object> model) {
        Map<String, Object> b = new LinkedHashMap<>();
        String ackLink = (String) model.get("ackLink");
        switch (n.channel) {
            case WEBHOOK -> {
                b.put("id", n.id);
                b.put("eventId", n.eventId);
                b.put("eventType", n.eventType);
                b.put("ticketId", n.ticketId);
                b.put("occurredAt", n.eventTime);
                b.put("street", n.street);
                b.put("locale", locale);
                b.put("recipient", Map.of("id", r.id(), "name", r.name() == null ? "" : r.name(), "role", r.role()));
                b.put("text", n.text);
                b.put("ackLink", ackLink.isEmpty() ? null : ackLink);
                List<String> withheld = new ArrayList<>();
                b.put("data", seesFreeText(r, n.street) ? occ.data() : withoutFreeText(occ.data(), withheld));
                if (!withheld.isEmpty()) {
                    b.put("withheld", withheld);
                }
            }
            case SMS -> {
                b.put("requestId", n.id);
                b.put("templateId", config.sms().templateIds().getOrDefault(n.eventType, config.sms().defaultTemplateId()));
                b.put("phone", n.address);
                Map<String, Object> params = new LinkedHashMap<>();
                params.put("ticket", model.get("ticketShort"));
                params.put("street", model.get("streetName"));
                params.put("category", model.get("categoryName"));
                params.put("address", model.get("address"));
                params.put("deadline", "".equals(model.get("ackDeadlineLocal")) ? model.get("deadlineLocal") : model.get("ackDeadlineLocal"));
                params.put("link", ackLink);
                b.put("params", params);
                b.put("text", n.text);
            }
            case CONSOLE -> {
                return null;
            }
        }
        try {
            return json.writeValueAsString(b);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Fields that carry what a person wrote (notes, reasons, comments): they may hold a caller's personal data. */
    static final Set<String> FREE_TEXT = Set.of("note", "reason", "comment", "description", "decisionNote", "summary");
    /** A value of such a field that is a code (ACK_LAPSE, CANCELLED), not writing. */
    private static final java.util.regex.Pattern CODE = java.util.regex.Pattern.compile("[A-Z][A-Z0-9_]*");

    /**
     * Free text goes to a webhook only when its receiver may see the caller in full (backbone's
     * {@code Caller.seesPersonalData}: operators and the street's dispatchers; the street's command
     * room is its dispatchers). Units, members, supervisors and county people do not get it.
     */
    private boolean seesFreeText(Recipient r, String street) {
        if (r.id().startsWith("room:")) {
            return street != null && r.id().equals("room:" + street);
        }
        if (r.id().startsWith("person:")) {
            NotificationConfig.Person p = config.directory().get(r.id().substring("person:".length()));
            return p != null && Caller.seesPersonalData(Set.of(p.role().toLowerCase(java.util.Locale.ROOT)),
                    p.street().orElse(null), street);
        }
        return false;
    }

    /** The event's data without its free text; the names of the fields left out go to {@code withheld}. */
    private static JsonNode withoutFreeText(JsonNode data, List<String> withheld) {
        if (!(data instanceof ObjectNode object)) {
            return data;
        }
        ObjectNode copy = object.deepCopy();
        object.fields().forEachRemaining(f -> {
            if (FREE_TEXT.contains(f.getKey()) && f.getValue().isTextual() && !CODE.matcher(f.getValue().asText()).matches()) {
                copy.remove(f.getKey());
                withheld.add(f.getKey());
            }
        });
        return copy;
    }

    private String unitName(String unitId, Occurrence occ) {
        if (unitId.equals(occ.text("unitId")) && occ.text("unitName") != null) {
            return occ.text("unitName");
        }
        UnitProjection p = projections.unit(unitId);
        return p == null ? unitId : p.name;
    }

    private String streetName(String street) {
        return street == null ? "" : config.labels().streets().getOrDefault(street, street);
    }

    private String local(String instant) {
        if (instant == null) {
            return "";
        }
        try {
            return LOCAL_TIME.format(Instant.parse(instant).atZone(zone));
        } catch (RuntimeException e) {
            return instant;
        }
    }

    private static final Map<String, String[]> LABELS = Map.ofEntries(
            Map.entry("RESPOND", new String[] {"响应", "respond"}),
            Map.entry("DISPATCH_CONTACT", new String[] {"派单联系", "dispatch and contact"}),
            Map.entry("ON_SCENE", new String[] {"到场", "on scene"}),
            Map.entry("RESOLVE", new String[] {"办结", "resolve"}),
            Map.entry("LEAD", new String[] {"主办", "lead"}),
            Map.entry("ASSIST", new String[] {"协办", "assisting"}),
            Map.entry("REDISPATCH", new String[] {"转派", "re-dispatch"}),
            Map.entry("ADD_BACKUP", new String[] {"增派支援", "add a backup unit"}),
            Map.entry("DONE", new String[] {"已完成", "done"}),
            Map.entry("NO_UNIT_AVAILABLE", new String[] {"无可用单位", "no unit available"}),
            Map.entry("PHONE", new String[] {"同一来电号码", "same caller phone"}),
            Map.entry("PROXIMITY", new String[] {"同地点同类别", "same place and category"}));

    private static String label(boolean zh, String code) {
        if (code == null) {
            return "";
        }
        String[] l = LABELS.get(code);
        return l == null ? code : l[zh ? 0 : 1];
    }

    // ---- reads for the API ----

    /** Any of the filters may be null; {@code recipient} limits a field member to his own messages. */
    public List<Notification> search(UUID ticketId, DeliveryStatus status, String street, String recipient, int limit) {
        StringBuilder q = new StringBuilder("1 = 1");
        Parameters p = new Parameters();
        if (ticketId != null) {
            q.append(" and ticketId = :ticket");
            p.and("ticket", ticketId);
        }
        if (status != null) {
            q.append(" and status = :status");
            p.and("status", status);
        }
        if (street != null) {
            q.append(" and street = :street");
            p.and("street", street);
        }
        if (recipient != null) {
            q.append(" and recipient = :recipient");
            p.and("recipient", recipient);
        }
        // one ticket: its story, oldest first; a status or street: the latest first
        String order = ticketId != null ? " order by seq" : " order by seq desc";
        return Notification.<Notification>find(q + order, p).page(Page.ofSize(limit)).list();
    }
}

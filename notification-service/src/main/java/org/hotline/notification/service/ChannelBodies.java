package org.hotline.notification.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.hotline.backbone.security.Caller;
import org.hotline.notification.config.NotificationConfig;
import org.hotline.notification.model.Channel;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The JSON a channel sends, stored with the row: the webhook's body (the event's data for receivers
 * that act on it, without free text the receiver may not see) and the SMS provider's request
 * (template id and parameters). CONSOLE has none: the screen shows the row.
 */
@ApplicationScoped
public class ChannelBodies {

    /** Fields that carry what a person wrote (notes, reasons, comments): they may hold a caller's personal data. */
    static final Set<String> FREE_TEXT = Set.of("note", "reason", "comment", "description", "decisionNote", "summary");
    /** A value of such a field that is a code (ACK_LAPSE, CANCELLED), not writing. */
    private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]*");

    /** A webhook's body. {@code withheld}: the free-text fields left out of {@code data}, only when there are any. */
    public record WebhookBody(UUID id, String eventId, String eventType, UUID ticketId, Instant occurredAt, String street,
            String locale, WebhookRecipient recipient, String text, String ackLink, JsonNode data,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> withheld) {
    }

    public record WebhookRecipient(String id, String name, String role) {
    }

    /** The SMS provider's send request; {@code requestId} is the row id (the provider deduplicates on it). */
    public record SmsBody(UUID requestId, String templateId, String phone, SmsParams params, String text) {
    }

    /** The template parameters; {@code deadline}: the acknowledgement deadline when there is one, else the stage's. */
    public record SmsParams(String ticket, String street, String category, String address, String deadline, String link) {
    }

    /** What one row of a notification is about, as its channel body needs it. */
    record Row(UUID id, String eventId, String eventType, UUID ticketId, Instant eventTime, String street,
            Channel channel, String address, String text) {
    }

    private final NotificationConfig config;
    private final ObjectMapper json;

    public ChannelBodies(NotificationConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
    }

    /** The row's body as JSON text; null for CONSOLE. */
    String body(Row n, JsonNode eventData, Recipient r, String locale, TemplateData model) {
        Object body = switch (n.channel()) {
            case WEBHOOK -> webhook(n, eventData, r, locale, model.text("ackLink"));
            case SMS -> sms(n, model);
            case CONSOLE -> null;
        };
        if (body == null) {
            return null;
        }
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private WebhookBody webhook(Row n, JsonNode eventData, Recipient r, String locale, String ackLink) {
        List<String> withheld = new ArrayList<>();
        JsonNode data = seesFreeText(r, n.street()) ? eventData : withoutFreeText(eventData, withheld);
        return new WebhookBody(n.id(), n.eventId(), n.eventType(), n.ticketId(), n.eventTime(), n.street(), locale,
                new WebhookRecipient(r.id(), r.name() == null ? "" : r.name(), r.role()), n.text(),
                ackLink.isEmpty() ? null : ackLink, data, withheld);
    }

    private SmsBody sms(Row n, TemplateData model) {
        String deadline = model.text("ackDeadlineLocal").isEmpty() ? model.text("deadlineLocal") : model.text("ackDeadlineLocal");
        return new SmsBody(n.id(), config.sms().templateIds().getOrDefault(n.eventType(), config.sms().defaultTemplateId()),
                n.address(), new SmsParams(model.text("ticketShort"), model.text("streetName"), model.text("categoryName"),
                        model.text("address"), deadline, model.text("ackLink")),
                n.text());
    }

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
            return p != null && Caller.seesPersonalData(Set.of(p.role().toLowerCase(Locale.ROOT)),
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
}

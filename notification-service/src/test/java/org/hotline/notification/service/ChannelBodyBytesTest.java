package org.hotline.notification.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.hotline.backbone.testing.InfraResource;
import org.hotline.notification.ProviderServer;
import org.hotline.notification.config.NotificationConfig;
import org.hotline.notification.model.Channel;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The typed webhook and SMS bodies are the same bytes the untyped map builder they replaced wrote
 * (issue #19: nothing changes for a receiver), written by the application's own mapper: same fields,
 * same order, nulls written, {@code withheld} only when something was. One exception, pinned here:
 * the builder's {@code recipient} was a {@code Map.of}, whose order is unspecified (it may change
 * from one JVM start to the next); the record writes id, name, role, and the trees are equal.
 */
@QuarkusTest
@WithTestResource(InfraResource.class)
@WithTestResource(ProviderServer.class) // the other tests' resources: the same application, no restart
class ChannelBodyBytesTest {

    static final Instant AT = Instant.parse("2026-03-04T05:06:07.123456Z");
    static final UUID ROW = UUID.fromString("11111111-2222-3333-4444-555555555555");
    static final UUID TICKET = UUID.fromString("0b6f7c1e-2a44-4d6b-9f3e-8c2d1a5b7e90");

    @Inject
    ChannelBodies bodies;

    @Inject
    ObjectMapper json;

    @Inject
    NotificationConfig config;

    JsonNode data() throws Exception {
        return json.readTree("{\"ticketId\":\"" + TICKET + "\",\"unitId\":\"wk-grid-03\",\"level\":1,"
                + "\"reason\":\"caller at 13812345678 says\",\"note\":\"ACK_LAPSE\",\"late\":false}");
    }

    static ChannelBodies.Row row(Channel channel, String address, String street) {
        return new ChannelBodies.Row(ROW, "evt-1", "sla.escalated", TICKET, AT, street, channel, address, "text 【升级】");
    }

    static TemplateData model(String ackLink) {
        TemplateData m = new TemplateData();
        m.put("ticketShort", "0b6f7c1e");
        m.put("streetName", "武康街道");
        m.put("categoryName", "噪声");
        m.put("address", "英溪北路 88 号");
        m.put("deadlineLocal", "03-04 13:07");
        m.put("ackDeadlineLocal", "");
        if (ackLink != null) {
            m.put("ackLink", ackLink);
        }
        return m;
    }

    @Test
    void aWebhookBodyWithWithheldFreeTextIsTheSameBytes() throws Exception {
        // a unit does not see free text: reason is withheld, the code in note stays
        Recipient unit = new Recipient("unit:wk-grid-03", "网格员 测试网格", "UNIT", null, null, "zh-CN", "wk-grid-03", null);
        ChannelBodies.Row r = row(Channel.WEBHOOK, "http://hook.example/in", "wukang");
        String typed = bodies.body(r, data(), unit, "zh-CN", model(null));
        assertEquals("{\"id\":\"11111111-2222-3333-4444-555555555555\",\"eventId\":\"evt-1\",\"eventType\":\"sla.escalated\","
                + "\"ticketId\":\"0b6f7c1e-2a44-4d6b-9f3e-8c2d1a5b7e90\",\"occurredAt\":\"2026-03-04T05:06:07.123456Z\","
                + "\"street\":\"wukang\",\"locale\":\"zh-CN\",\"recipient\":{\"id\":\"unit:wk-grid-03\",\"name\":\"网格员 测试网格\","
                + "\"role\":\"UNIT\"},\"text\":\"text 【升级】\",\"ackLink\":null,\"data\":{\"ticketId\":\"0b6f7c1e-2a44-4d6b-9f3e-8c2d1a5b7e90\","
                + "\"unitId\":\"wk-grid-03\",\"level\":1,\"note\":\"ACK_LAPSE\",\"late\":false},\"withheld\":[\"reason\"]}", typed);
        assertSameAsFormerBuilder(typed, formerWebhook(r, data(), unit, "zh-CN", "", false));
    }

    @Test
    void aWebhookBodyWithNothingWithheldAndNoStreetIsTheSameBytes() throws Exception {
        // the street's command room sees free text; no street: the room cannot be the street's, so withheld
        Recipient room = new Recipient("room:wukang", "武康街道指挥室", "COMMAND_ROOM", null, null, "en", null, null);
        ChannelBodies.Row r = row(Channel.WEBHOOK, "http://hook.example/in", "wukang");
        String typed = bodies.body(r, data(), room, "en", model("http://x/ack/tok"));
        assertSameAsFormerBuilder(typed, formerWebhook(r, data(), room, "en", "http://x/ack/tok", true));

        ChannelBodies.Row noStreet = row(Channel.WEBHOOK, "http://hook.example/in", null);
        Recipient nameless = new Recipient("unit:u", null, "UNIT", null, null, "en", "u", null);
        String typed2 = bodies.body(noStreet, data(), nameless, "en", model(null));
        assertSameAsFormerBuilder(typed2, formerWebhook(noStreet, data(), nameless, "en", "", false));
    }

    @Test
    void anSmsBodyIsTheSameBytes() throws Exception {
        Recipient member = new Recipient("member:wk-grid-03/m-1", "值班员", "FIELD", "13800000001", null, "zh-CN",
                "wk-grid-03", "m-1");
        ChannelBodies.Row r = row(Channel.SMS, "13800000001", "wukang");
        String typed = bodies.body(r, data(), member, "zh-CN", model("http://x/ack/tok"));
        assertEquals("{\"requestId\":\"11111111-2222-3333-4444-555555555555\",\"templateId\":\"SMS_ESCALATION\","
                + "\"phone\":\"13800000001\",\"params\":{\"ticket\":\"0b6f7c1e\",\"street\":\"武康街道\",\"category\":\"噪声\","
                + "\"address\":\"英溪北路 88 号\",\"deadline\":\"03-04 13:07\",\"link\":\"http://x/ack/tok\"},\"text\":\"text 【升级】\"}",
                typed);
        assertEquals(formerSms(r, model("http://x/ack/tok")), typed);
        TemplateData noLink = model(null);
        noLink.put("ackDeadlineLocal", "03-04 13:12");
        assertEquals(formerSms(r, noLink), bodies.body(r, data(), member, "zh-CN", noLink));
    }

    @Test
    void aConsoleRowHasNoBody() throws Exception {
        Recipient room = new Recipient("room:wukang", "武康街道指挥室", "COMMAND_ROOM", null, null, "zh-CN", null, null);
        assertEquals(null, bodies.body(row(Channel.CONSOLE, "wukang", "wukang"), data(), room, "zh-CN", model(null)));
    }

    void assertSameAsFormerBuilder(String typed, Map<String, Object> former) throws Exception {
        // the former recipient map's order was unspecified: compare it as a tree, the rest as text
        assertEquals(json.valueToTree(former), json.readTree(typed));
        @SuppressWarnings("unchecked")
        Map<String, Object> recipient = (Map<String, Object>) former.get("recipient");
        Map<String, Object> ordered = new LinkedHashMap<>();
        ordered.put("id", recipient.get("id"));
        ordered.put("name", recipient.get("name"));
        ordered.put("role", recipient.get("role"));
        former.put("recipient", ordered);
        assertEquals(json.writeValueAsString(former), typed);
    }

    /** The former builder's webhook body (NotificationService.body before #19), free text decided by the caller. */
    Map<String, Object> formerWebhook(ChannelBodies.Row n, JsonNode data, Recipient r, String locale, String ackLink,
            boolean seesFreeText) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("id", n.id());
        b.put("eventId", n.eventId());
        b.put("eventType", n.eventType());
        b.put("ticketId", n.ticketId());
        b.put("occurredAt", n.eventTime());
        b.put("street", n.street());
        b.put("locale", locale);
        b.put("recipient", Map.of("id", r.id(), "name", r.name() == null ? "" : r.name(), "role", r.role()));
        b.put("text", n.text());
        b.put("ackLink", ackLink.isEmpty() ? null : ackLink);
        List<String> withheld = new ArrayList<>();
        JsonNode shown = data;
        if (!seesFreeText) {
            ObjectNode copy = data.deepCopy();
            data.fields().forEachRemaining(f -> {
                if (ChannelBodies.FREE_TEXT.contains(f.getKey()) && f.getValue().isTextual()
                        && !f.getValue().asText().matches("[A-Z][A-Z0-9_]*")) {
                    copy.remove(f.getKey());
                    withheld.add(f.getKey());
                }
            });
            shown = copy;
        }
        b.put("data", shown);
        if (!withheld.isEmpty()) {
            b.put("withheld", withheld);
        }
        return b;
    }

    /** The former builder's SMS body. */
    String formerSms(ChannelBodies.Row n, TemplateData model) throws Exception {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("requestId", n.id());
        b.put("templateId", config.sms().templateIds().getOrDefault(n.eventType(), config.sms().defaultTemplateId()));
        b.put("phone", n.address());
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("ticket", model.get("ticketShort"));
        params.put("street", model.get("streetName"));
        params.put("category", model.get("categoryName"));
        params.put("address", model.get("address"));
        params.put("deadline", "".equals(model.get("ackDeadlineLocal")) ? model.get("deadlineLocal") : model.get("ackDeadlineLocal"));
        params.put("link", model.get("ackLink"));
        b.put("params", params);
        b.put("text", n.text());
        return json.writeValueAsString(b);
    }
}

package org.hotline.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.hotline.backbone.event.EventCodec;
import org.hotline.backbone.testing.InfraResource;
import org.hotline.intake.messaging.ClosedByCommandRoom;
import org.hotline.intake.messaging.FollowUpRecorded;
import org.hotline.intake.messaging.TicketCancelled;
import org.hotline.intake.messaging.TicketReceived;
import org.hotline.intake.messaging.TicketReopened;
import org.hotline.intake.messaging.TicketRepeatOverridden;
import org.hotline.intake.messaging.TicketRepeatReported;
import org.hotline.intake.model.Complexity;
import org.hotline.intake.model.Source;
import org.hotline.intake.model.Ticket;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * What intake writes stays byte for byte what it wrote before the typed records (issue #19): each
 * event's data as the outbox encodes it (docs/events.md), and the history entries that are no
 * event, as the history stores them. The ticket.closed entry was an untyped map; its record writes
 * the same text.
 */
@QuarkusTest
@WithTestResource(InfraResource.class)
class PayloadBytesTest {

    static final Instant AT = Instant.parse("2026-03-04T05:06:07.123456Z");
    static final String ID = "00000000-0000-0000-0000-000000000001";
    static final String REPEAT = "00000000-0000-0000-0000-000000000002";

    @Inject
    EventCodec codec;

    @Inject
    ObjectMapper json;

    @Test
    void ticketReceived() {
        Ticket t = new Ticket();
        t.id = UUID.fromString(ID);
        t.source = Source.HANDOVER_110;
        t.callerName = "张三";
        t.callerPhone = "13812345678";
        t.address = "武康街道英溪北路 88 号";
        t.latitude = 30.5448;
        t.longitude = 119.9702;
        t.street = "wukang";
        t.grid = "wukang-03";
        t.category = "NOISE";
        t.complexity = Complexity.SIMPLE;
        t.upstreamRef = "J3305212026112300123";
        t.reportedAt = AT;
        t.receivedAt = Instant.parse("2026-03-04T05:07:00Z");
        event("{\"ticketId\":\"" + ID + "\",\"source\":\"HANDOVER_110\",\"category\":\"NOISE\",\"complexity\":\"SIMPLE\","
                + "\"street\":\"wukang\",\"grid\":\"wukang-03\",\"address\":\"武康街道英溪北路 88 号\",\"latitude\":30.5448,"
                + "\"longitude\":119.9702,\"upstreamRef\":\"J3305212026112300123\",\"reportedAt\":\"2026-03-04T05:06:07.123456Z\","
                + "\"receivedAt\":\"2026-03-04T05:07:00Z\",\"callerPhoneMasked\":\"138****5678\"}", TicketReceived.of(t));
        t.grid = null;
        t.latitude = null;
        t.longitude = null;
        t.upstreamRef = null;
        event("{\"ticketId\":\"" + ID + "\",\"source\":\"HANDOVER_110\",\"category\":\"NOISE\",\"complexity\":\"SIMPLE\","
                + "\"street\":\"wukang\",\"grid\":null,\"address\":\"武康街道英溪北路 88 号\",\"latitude\":null,"
                + "\"longitude\":null,\"upstreamRef\":null,\"reportedAt\":\"2026-03-04T05:06:07.123456Z\","
                + "\"receivedAt\":\"2026-03-04T05:07:00Z\",\"callerPhoneMasked\":\"138****5678\"}", TicketReceived.of(t));
    }

    @Test
    void theOtherEvents() {
        event("{\"ticketId\":\"" + ID + "\",\"reason\":\"来电人撤回\",\"cancelledAt\":\"2026-03-04T05:06:07.123456Z\"}",
                new TicketCancelled(ID, "来电人撤回", AT));
        event("{\"ticketId\":\"" + ID + "\",\"reason\":\"dissatisfied at follow-up\","
                + "\"reopenedAt\":\"2026-03-04T05:06:07.123456Z\"}", new TicketReopened(ID, "dissatisfied at follow-up", AT));
        event("{\"ticketId\":\"" + ID + "\",\"repeatId\":\"" + REPEAT + "\",\"repeatCount\":2,\"source\":\"HOTLINE_12345\","
                + "\"matchedBy\":\"PHONE\",\"category\":\"NOISE\",\"street\":\"wukang\","
                + "\"reportedAt\":\"2026-03-04T05:06:07.123456Z\",\"upstreamRef\":null}",
                new TicketRepeatReported(ID, REPEAT, 2, "HOTLINE_12345", "PHONE", "NOISE", "wukang", AT, null));
        event("{\"ticketId\":\"" + ID + "\",\"repeatId\":\"" + REPEAT + "\",\"repeatCount\":0,"
                + "\"overriddenBy\":\"op-wang\",\"reason\":\"另一处\"}",
                new TicketRepeatOverridden(ID, REPEAT, 0, "op-wang", "另一处"));
    }

    @Test
    void historyEntriesWithoutAnEvent() throws Exception {
        assertEquals(json.writeValueAsString(Map.of("closedAt", AT.toString())),
                json.writeValueAsString(ClosedByCommandRoom.at(AT)), "the former untyped map's text");
        assertEquals("{\"closedAt\":\"2026-03-04T05:06:07.123456Z\"}", json.writeValueAsString(ClosedByCommandRoom.at(AT)));
        assertEquals("{\"followUpId\":\"" + ID + "\",\"reached\":true,\"satisfaction\":\"SATISFIED\"}",
                json.writeValueAsString(new FollowUpRecorded(ID, true, "SATISFIED")));
        assertEquals("{\"followUpId\":\"" + ID + "\",\"reached\":false,\"satisfaction\":null}",
                json.writeValueAsString(new FollowUpRecorded(ID, false, null)));
    }

    /** The data as the outbox puts it in the event (and the history keeps it). */
    private void event(String expected, Object data) {
        assertEquals(expected, codec.encodeData(data));
    }
}

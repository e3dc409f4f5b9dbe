package org.hotline.backbone.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The outbox encodes an event's data once and wraps it: consumers must read exactly what the envelope encoder wrote. */
class EventCodecTest {

    /** Data with what events carry: text in Chinese and with quotes, numbers, nulls, times, nesting. */
    record Data(String ticketId, String note, int count, Double latitude, String missing, Instant at,
            List<Map<String, Object>> units) {
    }

    private final EventCodec codec = new EventCodec(new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS));

    private final Data data = new Data("t-1", "来电人说：\"楼上\u0000噪音\"\n夜里", 3, 31.2, null,
            Instant.parse("2026-03-04T05:06:07.123456Z"), List.of(Map.of("unitId", "u1", "lead", true)));

    @Test
    void theWrappedDataIsTheSameTextAsTheWholeEnvelopeEncoded() {
        String once = codec.encode("e-1", "/hotline/intake", "ticket.received", "t-1", "2026-03-04T05:06:07Z",
                codec.encodeData(data));
        String twice = codec.encode(new CloudEvent(CloudEvent.SPEC_VERSION, "e-1", "/hotline/intake",
                "ticket.received", "t-1", "2026-03-04T05:06:07Z", "application/json", codec.toTree(data)));
        assertEquals(twice, once);
    }

    @Test
    void aConsumerDecodesWhatTheOutboxWrote() {
        CloudEvent e = codec.decode(codec.encode("e-1", "/hotline/sla", "clock.breached", "t-1",
                "2026-03-04T05:06:07Z", codec.encodeData(data)));
        assertEquals("e-1", e.id());
        assertEquals("clock.breached", e.type());
        assertEquals("t-1", e.subject());
        assertEquals(data, codec.data(e, Data.class));
    }
}

package org.hotline.notification.service;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/** An event that may cause notifications: its envelope facts and its data. */
public record Occurrence(String eventId, String type, Instant time, UUID ticketId, JsonNode data) {

    public String text(String field) {
        JsonNode v = data.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    public Integer level() {
        JsonNode v = data.get("level");
        return v == null || !v.canConvertToInt() ? null : v.asInt();
    }
}

package org.hotline.notification.service;

import java.time.Instant;
import java.util.UUID;

import org.hotline.notification.messaging.NotifiedEvent;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An event that may cause notifications: its envelope facts, the fields the rules read
 * ({@code event}) and its data as it came (for templates and webhook bodies).
 */
public record Occurrence(String eventId, String type, Instant time, UUID ticketId, NotifiedEvent event, JsonNode data) {
}

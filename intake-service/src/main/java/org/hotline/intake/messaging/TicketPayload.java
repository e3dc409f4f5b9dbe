package org.hotline.intake.messaging;

/**
 * The data of an event intake publishes on {@code ticket-events}: one record per type
 * (docs/schemas/&lt;type&gt;.schema.json), fields in the order they go on the wire. No caller name
 * or phone in any of them.
 */
public interface TicketPayload {
}

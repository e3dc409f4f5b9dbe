package org.hotline.dispatch.messaging;

import java.time.Instant;

import org.hotline.dispatch.model.DispatchTicket;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Data of {@code ticket.ping-pong}: the ticket was returned more often than allowed
 * (docs/schemas). Fields in the order they go on the wire; nulls are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TicketPingPong(String ticketId, String street, Instant occurredAt, String actor, int returnCount,
        int threshold, String lastUnitId, String reasonCode) implements DispatchPayload {

    public static TicketPingPong of(DispatchTicket t, Instant at, String actor, int threshold, String lastUnitId,
            String reasonCode) {
        return new TicketPingPong(t.id.toString(), t.street, at, actor, t.returnCount, threshold, lastUnitId,
                reasonCode);
    }
}

package org.hotline.dispatch.messaging;

import java.time.Instant;

import org.hotline.dispatch.model.DispatchTicket;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Data of {@code ticket.closed}: the command room closed the ticket after its lead reported the
 * work done (docs/schemas). Fields in the order they go on the wire; nulls are left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TicketClosed(String ticketId, String street, Instant occurredAt, String actor,
        Instant resolvedAt) implements DispatchPayload {

    public static TicketClosed of(DispatchTicket t, Instant at, String actor) {
        return new TicketClosed(t.id.toString(), t.street, at, actor, t.resolvedAt);
    }
}

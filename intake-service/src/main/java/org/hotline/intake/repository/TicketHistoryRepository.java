package org.hotline.intake.repository;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.hotline.intake.model.TicketHistory;

import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

/** Each ticket's history (every change, in order). */
@ApplicationScoped
public class TicketHistoryRepository {

    /** A ticket's history entries, in the order they were written. */
    public List<TicketHistory> ofTicket(UUID ticketId) {
        return TicketHistory.list("ticketId", Sort.by("seq"), ticketId);
    }

    /** A new entry ({@code data}: JSON; {@code eventId}: the published event's, null for an intake-only entry). */
    public void add(UUID ticketId, String type, UUID eventId, Instant occurredAt, String data) {
        TicketHistory h = new TicketHistory();
        h.ticketId = ticketId;
        h.type = type;
        h.occurredAt = occurredAt;
        h.eventId = eventId;
        h.data = data;
        h.persist();
    }
}

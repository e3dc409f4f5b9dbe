package org.hotline.intake.messaging;

import java.time.Instant;

/**
 * History entry {@code ticket.closed}: the command room closed the ticket (dispatch's event; its
 * id is the entry's event id). {@code closedAt} as text, as the entry has always held it.
 */
public record ClosedByCommandRoom(String closedAt) implements HistoryNote {

    public static ClosedByCommandRoom at(Instant closedAt) {
        return new ClosedByCommandRoom(closedAt.toString());
    }
}

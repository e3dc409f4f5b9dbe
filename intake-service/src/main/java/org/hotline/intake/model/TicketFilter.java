package org.hotline.intake.model;

import java.time.Instant;

/** What a ticket search asks for; null means "any". {@code from} inclusive, {@code to} exclusive (receipt time). */
public record TicketFilter(TicketStatus status, String street, String category, Source source, String callerPhone,
        Instant from, Instant to) {
}

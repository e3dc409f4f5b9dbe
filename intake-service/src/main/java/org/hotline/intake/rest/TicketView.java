package org.hotline.intake.rest;

import java.time.Instant;
import java.util.UUID;

import org.hotline.intake.model.Complexity;
import org.hotline.intake.model.Source;
import org.hotline.intake.model.Ticket;
import org.hotline.intake.model.TicketStatus;

public record TicketView(UUID id, Source source, String callerName, String callerPhone, String address,
        Double latitude, Double longitude, String street, String grid, String category, Complexity complexity,
        String description, String upstreamRef, TicketStatus status, Instant reportedAt, Instant receivedAt) {

    public static TicketView of(Ticket t) {
        return new TicketView(t.id, t.source, t.callerName, t.callerPhone, t.address, t.latitude, t.longitude,
                t.street, t.grid, t.category, t.complexity, t.description, t.upstreamRef, t.status, t.reportedAt,
                t.receivedAt);
    }
}

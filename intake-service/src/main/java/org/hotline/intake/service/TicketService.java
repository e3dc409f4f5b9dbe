package org.hotline.intake.service;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import org.hotline.backbone.outbox.Outbox;
import org.hotline.backbone.web.ProblemException;
import org.hotline.intake.config.IntakeConfig;
import org.hotline.intake.messaging.TicketReceived;
import org.hotline.intake.model.Ticket;
import org.hotline.intake.model.TicketStatus;
import org.hotline.intake.rest.CreateTicketRequest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

@ApplicationScoped
public class TicketService {

    public static final String TICKET_RECEIVED = "ticket.received";

    private final Outbox outbox;
    private final Clock clock;
    private final IntakeConfig config;

    public TicketService(Outbox outbox, Clock clock, IntakeConfig config) {
        this.outbox = outbox;
        this.clock = clock;
        this.config = config;
    }

    /** Stores the ticket and its {@code ticket.received} event in one transaction. */
    @Transactional
    public Ticket receive(CreateTicketRequest req) {
        Instant now = clock.instant();
        if (req.reportedAt() != null && req.reportedAt().isAfter(now.plusSeconds(60))) {
            throw ProblemException.badRequest("reportedAt", "must not be in the future");
        }
        Ticket t = new Ticket();
        t.id = UUID.randomUUID();
        t.source = req.source();
        t.callerName = req.caller().name().strip();
        t.callerPhone = req.caller().phone().replace("-", "");
        t.address = req.location().address().strip();
        t.latitude = req.location().latitude();
        t.longitude = req.location().longitude();
        t.street = req.location().street().strip();
        t.grid = req.location().grid();
        t.category = req.category().strip();
        t.complexity = req.complexity();
        t.description = req.description().strip();
        t.upstreamRef = req.upstreamRef();
        t.status = TicketStatus.RECEIVED;
        t.receivedAt = now;
        t.reportedAt = req.reportedAt() == null ? now : req.reportedAt();
        t.persist();
        outbox.publish(config.topics().ticketEvents(), TICKET_RECEIVED, t.id.toString(),
                new TicketReceived(t.id.toString(), t.source.name(), t.category, t.complexity.name(), t.street,
                        t.grid, t.address, t.latitude, t.longitude, t.upstreamRef, t.reportedAt, t.receivedAt));
        return t;
    }

    public Ticket get(UUID id) {
        Ticket t = Ticket.findById(id);
        if (t == null) {
            throw ProblemException.notFound("ticket", id);
        }
        return t;
    }
}

package org.hotline.intake.service;

import java.util.List;
import java.util.UUID;

import org.hotline.backbone.web.ProblemException;
import org.hotline.intake.model.FollowUp;
import org.hotline.intake.model.RepeatReport;
import org.hotline.intake.model.Ticket;
import org.hotline.intake.model.TicketFilter;
import org.hotline.intake.model.TicketHistory;
import org.hotline.intake.model.TicketMatches;
import org.hotline.intake.repository.FollowUpRepository;
import org.hotline.intake.repository.RepeatRepository;
import org.hotline.intake.repository.TicketHistoryRepository;
import org.hotline.intake.repository.TicketRepository;

import jakarta.enterprise.context.ApplicationScoped;

/** Reads: one ticket (404 if there is none), what hangs off it (history, repeats, follow-ups), a search. */
@ApplicationScoped
public class TicketLookup {

    private final TicketRepository tickets;
    private final TicketHistoryRepository history;
    private final RepeatRepository repeats;
    private final FollowUpRepository followUps;

    public TicketLookup(TicketRepository tickets, TicketHistoryRepository history, RepeatRepository repeats,
            FollowUpRepository followUps) {
        this.tickets = tickets;
        this.history = history;
        this.repeats = repeats;
        this.followUps = followUps;
    }

    public Ticket get(UUID id) {
        Ticket t = tickets.find(id);
        if (t == null) {
            throw ProblemException.notFound("ticket", id);
        }
        return t;
    }

    /** Every change of the ticket, in order. */
    public List<TicketHistory> history(UUID id) {
        return history.ofTicket(id);
    }

    public List<RepeatReport> repeats(UUID id) {
        return repeats.ofTicket(id);
    }

    public List<FollowUp> followUps(UUID id) {
        return followUps.ofTicket(id);
    }

    /** Newest first (by receipt), paged. */
    public TicketMatches search(TicketFilter filter, int page, int size) {
        return tickets.search(filter, page, size);
    }
}

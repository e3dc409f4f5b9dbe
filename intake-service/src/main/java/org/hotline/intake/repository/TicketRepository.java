package org.hotline.intake.repository;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.hotline.intake.model.Ticket;
import org.hotline.intake.model.TicketFilter;
import org.hotline.intake.model.TicketMatches;

import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/** Tickets: one by id, one locked, a search. */
@ApplicationScoped
public class TicketRepository {

    /** The ticket, or null. */
    public Ticket find(UUID id) {
        return Ticket.findById(id);
    }

    /** The ticket row locked for the transaction (so that its events are written in commit order), or null. */
    public Ticket lock(UUID id) {
        return Ticket.findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Newest first (by receipt), paged; each filter has an index led by its column. */
    public TicketMatches search(TicketFilter f, int page, int size) {
        List<String> where = new ArrayList<>();
        Parameters p = new Parameters();
        if (f.status() != null) {
            where.add("status = :status");
            p.and("status", f.status());
        }
        if (f.street() != null) {
            where.add("street = :street");
            p.and("street", f.street());
        }
        if (f.category() != null) {
            where.add("category = :category");
            p.and("category", f.category());
        }
        if (f.source() != null) {
            where.add("source = :source");
            p.and("source", f.source());
        }
        if (f.callerPhone() != null) {
            where.add("callerPhone = :phone");
            p.and("phone", f.callerPhone());
        }
        if (f.from() != null) {
            where.add("receivedAt >= :from");
            p.and("from", f.from());
        }
        if (f.to() != null) {
            where.add("receivedAt < :to");
            p.and("to", f.to());
        }
        String query = where.isEmpty() ? "1 = 1" : String.join(" and ", where);
        var q = Ticket.find(query, Sort.by("receivedAt", Sort.Direction.Descending).and("id"), p);
        return new TicketMatches(q.page(Page.of(page, size)).list(), q.count());
    }
}

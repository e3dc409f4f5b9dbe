package org.hotline.intake.repository;

import java.sql.PreparedStatement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.hotline.intake.model.Ticket;
import org.hotline.intake.model.TicketFilter;
import org.hotline.intake.model.TicketMatches;

import org.hibernate.Session;

import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

/** Tickets: a new one stored, one by id, one locked, a search. */
@ApplicationScoped
public class TicketRepository {

    private final EntityManager em;

    public TicketRepository(EntityManager em) {
        this.em = em;
    }

    /**
     * Stores a new ticket now, in the caller's transaction, with plain JDBC: one insert, visible at
     * once to the SQL of the next report in the same group commit (its repeat match). Not persisted
     * through Hibernate because every report of a group paid a persist and a flush for it (about a
     * quarter of a group commit lane's CPU samples, docs/benchmarks.md session 33); the ticket
     * given is left detached, as a group commit leaves every report's ticket. Its version starts at
     * 0, as Hibernate's would; a later change loads and locks it as usual.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void insert(Ticket t) {
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement ps = connection.prepareStatement("insert into ticket (id, source, caller_name,"
                    + " caller_phone, address, latitude, longitude, street, grid, category, complexity, description,"
                    + " upstream_ref, status, reported_at, received_at, cancel_reason, cancelled_at, repeat_count,"
                    + " version) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setObject(1, t.id);
                ps.setString(2, t.source.name());
                ps.setString(3, t.callerName);
                ps.setString(4, t.callerPhone);
                ps.setString(5, t.address);
                ps.setObject(6, t.latitude, Types.DOUBLE);
                ps.setObject(7, t.longitude, Types.DOUBLE);
                ps.setString(8, t.street);
                ps.setString(9, t.grid);
                ps.setString(10, t.category);
                ps.setString(11, t.complexity.name());
                ps.setString(12, t.description);
                ps.setString(13, t.upstreamRef);
                ps.setString(14, t.status.name());
                ps.setObject(15, utc(t.reportedAt));
                ps.setObject(16, utc(t.receivedAt));
                ps.setString(17, t.cancelReason);
                ps.setObject(18, utc(t.cancelledAt));
                ps.setInt(19, t.repeatCount);
                ps.setLong(20, t.version);
                ps.executeUpdate();
            }
        });
    }

    private static OffsetDateTime utc(Instant i) {
        return i == null ? null : OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

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

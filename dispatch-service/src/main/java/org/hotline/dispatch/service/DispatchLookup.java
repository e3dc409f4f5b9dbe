package org.hotline.dispatch.service;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.hotline.backbone.web.ProblemException;
import org.hotline.dispatch.model.Assignment;
import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.model.ExtensionRequest;
import org.hotline.dispatch.model.Unit;
import org.hotline.dispatch.repository.AssignmentRepository;
import org.hotline.dispatch.repository.ExtensionRepository;
import org.hotline.dispatch.repository.TicketRepository;
import org.hotline.dispatch.repository.UnitRepository;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Finds and locks what the command room acts on: the ticket, an assignment, an extension request,
 * a unit (404, or 422 for a unit named in a request, when absent), and the scope of an action for
 * the authorisation before it. Every transition locks the ticket row first (then, when assigning,
 * the unit row), so concurrent actions on one ticket serialize.
 */
@ApplicationScoped
public class DispatchLookup {

    private final TicketRepository tickets;
    private final AssignmentRepository assignments;
    private final ExtensionRepository extensions;
    private final UnitRepository units;

    public DispatchLookup(TicketRepository tickets, AssignmentRepository assignments, ExtensionRepository extensions,
            UnitRepository units) {
        this.tickets = tickets;
        this.assignments = assignments;
        this.extensions = extensions;
        this.units = units;
    }

    /**
     * Where an action on an assignment or extension request belongs, for the scope check before
     * it: plain values, not entities, so no entity the action reads after its ticket lock is already
     * in the session as it was before the lock.
     */
    public record Scope(UUID ticketId, String street, String unitId) {
    }

    /** The assignment's ticket, its street and the assignment's unit (404 if there is no such assignment). */
    public Scope assignmentScope(UUID assignmentId) {
        AssignmentRepository.Place p = assignments.place(assignmentId);
        if (p == null) {
            throw ProblemException.notFound("assignment", assignmentId);
        }
        return new Scope(p.ticketId(), p.street(), p.unitId());
    }

    /** The extension's ticket and its street (404 if there is no such extension request). */
    public Scope extensionScope(UUID extensionId) {
        ExtensionRepository.Place p = extensions.place(extensionId);
        if (p == null) {
            throw ProblemException.notFound("extension", extensionId);
        }
        return new Scope(p.ticketId(), p.street(), null);
    }

    public DispatchTicket ticket(UUID id) {
        DispatchTicket t = tickets.find(id);
        if (t == null) {
            throw ProblemException.notFound("ticket", id);
        }
        return t;
    }

    public List<Assignment> assignments(UUID ticketId) {
        return assignments.ofTicket(ticketId);
    }

    public List<ExtensionRequest> extensions(UUID ticketId) {
        return extensions.ofTicket(ticketId);
    }

    public Assignment assignment(UUID id) {
        Assignment a = assignments.find(id);
        if (a == null) {
            throw ProblemException.notFound("assignment", id);
        }
        return a;
    }

    ExtensionRequest extension(UUID id) {
        ExtensionRequest e = extensions.find(id);
        if (e == null) {
            throw ProblemException.notFound("extension", id);
        }
        return e;
    }

    public Unit unit(String id) {
        Unit u = units.find(id);
        if (u == null) {
            throw ProblemException.notFound("unit", id);
        }
        return u;
    }

    /** Every transition locks the ticket row first: concurrent actions on one ticket serialize. */
    public DispatchTicket lockTicket(UUID id) {
        DispatchTicket t = tickets.lock(id);
        if (t == null) {
            throw ProblemException.notFound("ticket", id);
        }
        return t;
    }

    /**
     * The assignment's ticket, locked (404 if there is no such assignment). Read the assignment
     * after it: it then says what the transaction the lock waited for left. Only the first read of
     * the ticket in its transaction may lock this way (a query hands back an entity already in the
     * session as it was loaded).
     */
    public DispatchTicket lockTicketOfAssignment(UUID assignmentId) {
        DispatchTicket t = tickets.lockOfAssignment(assignmentId);
        if (t == null) {
            throw ProblemException.notFound("assignment", assignmentId);
        }
        return t;
    }

    /**
     * Re-reads an entity loaded before the ticket lock was taken: what it said then may have been
     * changed by the transaction we just waited for (found by the ack-versus-re-dispatch race test).
     */
    public <T> T fresh(T entity) {
        return tickets.refresh(entity);
    }

    /** Then the unit row, when assigning: its capacity check and the new assignment are one decision. */
    public Unit lockUnit(String id) {
        Unit u = units.lock(id);
        if (u == null) {
            throw new ProblemException(422, "Unprocessable", "unit " + id + " does not exist");
        }
        return u;
    }

    /** The ticket as the console shows it: its assignments (oldest first) and extension requests. */
    public record TicketFile(DispatchTicket ticket, List<Assignment> assignments, List<ExtensionRequest> extensions) {
    }

    /** The ticket with its assignments and extension requests (404 if there is no such ticket). */
    public TicketFile file(UUID ticketId) {
        DispatchTicket t = ticket(ticketId);
        return new TicketFile(t, assignments(t.id), extensions(t.id));
    }

    /** One whistle (吹哨): the units it summoned, each with its assignment, in assignment order. */
    public record Whistle(UUID summonId, List<Summoned> summoned) {
        public record Summoned(Assignment assignment, Unit unit) {
        }
    }

    /** The ticket's whistles, in the order they were blown. */
    public List<Whistle> whistles(UUID ticketId) {
        Map<UUID, List<Whistle.Summoned>> by = new LinkedHashMap<>();
        for (Assignment a : assignments(ticketId)) {
            if (a.summonId != null) {
                by.computeIfAbsent(a.summonId, k -> new ArrayList<>()).add(new Whistle.Summoned(a, unit(a.unitId)));
            }
        }
        return by.entrySet().stream().map(e -> new Whistle(e.getKey(), e.getValue())).toList();
    }
}

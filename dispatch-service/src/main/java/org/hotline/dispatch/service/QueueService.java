package org.hotline.dispatch.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.hotline.dispatch.model.Assignment;
import org.hotline.dispatch.model.AssignmentStatus;
import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.model.Stage;
import org.hotline.dispatch.repository.AssignmentRepository;
import org.hotline.dispatch.repository.TicketRepository;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The street's queue (NEW, TAKEN, DISPATCHED, ON_SCENE, RESOLVED), most urgent first: by the
 * nearest real deadline of a stage the ticket has not met yet, as the SLA service set it
 * ({@link SlaDeadlines}); a ticket whose deadlines are not known yet counts from its receipt time
 * (reportedAt), which is earlier than any of its deadlines, so it is never hidden behind others.
 * Ties by reportedAt then id.
 */
@ApplicationScoped
public class QueueService {

    public static final Set<Stage> QUEUE_STAGES = EnumSet.of(Stage.NEW, Stage.TAKEN, Stage.DISPATCHED, Stage.ON_SCENE,
            Stage.RESOLVED);

    private final SlaDeadlines deadlines;
    private final TicketRepository ticketRows;
    private final AssignmentRepository assignments;

    public QueueService(SlaDeadlines deadlines, TicketRepository ticketRows, AssignmentRepository assignments) {
        this.deadlines = deadlines;
        this.ticketRows = ticketRows;
        this.assignments = assignments;
    }

    /** One ticket as a console lists it. */
    public record QueueItem(UUID ticketId, String street, String grid, String category, String address, Stage stage,
            Instant reportedAt, Instant deadline, Instant takenAt, String leadUnitId, String leadStatus,
            boolean returnPending, int returnCount, boolean callerContacted, int round) {
    }

    /** A stage's tickets. */
    public record StageGroup(Stage stage, int count, List<QueueItem> tickets) {
    }

    /** The street's queue; {@code street} null: every street's (a county supervisor's or monitoring's view). */
    public List<StageGroup> queue(String street, Set<Stage> stages) {
        List<DispatchTicket> tickets = ticketRows.inStages(street, stages);
        Map<UUID, Assignment> leads = leads(tickets.stream().map(t -> t.id).toList());
        Map<UUID, Instant> nearest = deadlines.nearest(tickets);
        Map<Stage, List<QueueItem>> by = new HashMap<>();
        for (DispatchTicket t : tickets) {
            by.computeIfAbsent(t.stage, s -> new ArrayList<>()).add(item(t, leads.get(t.id), nearest.get(t.id)));
        }
        List<StageGroup> out = new ArrayList<>();
        for (Stage s : QUEUE_STAGES) {
            if (stages.contains(s)) {
                List<QueueItem> items = by.getOrDefault(s, List.of()).stream().sorted(URGENT_FIRST).toList();
                out.add(new StageGroup(s, items.size(), items));
            }
        }
        return out;
    }

    static final Comparator<QueueItem> URGENT_FIRST = Comparator
            .comparing((QueueItem i) -> i.deadline() != null ? i.deadline() : i.reportedAt())
            .thenComparing(QueueItem::reportedAt).thenComparing(QueueItem::ticketId);

    /** The item for one ticket (the SSE stream sends it on every change). */
    public QueueItem item(UUID ticketId) {
        DispatchTicket t = ticketRows.find(ticketId);
        if (t == null) {
            return null;
        }
        Assignment lead = null;
        for (Assignment a : assignments.workingOrReturnedLeads(ticketId)) {
            lead = lead == null || !lead.status.open() ? a : lead;
        }
        return item(t, lead, deadlines.nearest(List.of(t)).get(t.id));
    }

    QueueItem item(DispatchTicket t, Assignment lead, Instant deadline) {
        return new QueueItem(t.id, t.street, t.grid, t.category, t.address, t.stage, t.reportedAt,
                deadline, t.takenAt, lead == null ? null : lead.unitId,
                lead == null ? null : lead.status.name(),
                lead != null && lead.status == AssignmentStatus.RETURNED, t.returnCount, t.callerContactedAt != null,
                t.round);
    }

    /** The working lead of each ticket, or the returned one awaiting the dispatcher. */
    private Map<UUID, Assignment> leads(List<UUID> ids) {
        Map<UUID, Assignment> leads = new HashMap<>();
        if (ids.isEmpty()) {
            return leads;
        }
        for (Assignment a : assignments.workingOrReturnedLeads(ids)) {
            // an open lead wins over a pending return
            leads.merge(a.ticketId, a, (x, y) -> x.status.open() ? x : y);
        }
        return leads;
    }
}

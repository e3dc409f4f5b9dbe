package org.hotline.dispatch.service;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.hotline.dispatch.model.DispatchTicket;
import org.hotline.dispatch.model.SlaStage;
import org.hotline.dispatch.repository.DeadlineRepository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * The SLA service's real deadlines, as dispatch keeps them to order its queue: each stage's
 * deadline from {@code sla.stage-started} (the policy pinned to the ticket, its calendar, its
 * chain), moved by an extension dispatch itself approved. Dispatch keeps no limits of its own.
 * A ticket's deadline in the queue is the nearest one of a stage of its current round that it has
 * not met yet ({@link SlaStage}); none known yet (the SLA event is still on its way): null, and the
 * queue falls back to the receipt time.
 */
@ApplicationScoped
public class SlaDeadlines {

    private final DeadlineRepository rows;

    public SlaDeadlines(DeadlineRepository rows) {
        this.rows = rows;
    }

    /** A stage's clock started (or a redelivery of it), or an extension moved it: its deadline, kept or replaced. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void set(UUID ticketId, String stage, int round, Instant deadline) {
        rows.upsert(List.of(new DeadlineRepository.Deadline(ticketId, stage, round, deadline)));
    }

    /**
     * Several stages' deadlines, as a batch of {@code sla.stage-started} brings them (in event
     * order): one statement; of two for the same stage and round the later one counts, as it would
     * applied one after the other.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void setAll(List<DeadlineRepository.Deadline> inOrder) {
        Map<List<Object>, DeadlineRepository.Deadline> last = new LinkedHashMap<>();
        for (DeadlineRepository.Deadline d : inOrder) {
            last.put(List.of(d.ticketId(), d.stage(), d.round()), d);
        }
        rows.upsert(last.values());
    }

    /** The nearest deadline of each ticket (absent: none known), one query for the whole queue. */
    public Map<UUID, Instant> nearest(Collection<DispatchTicket> tickets) {
        Map<UUID, Instant> out = new HashMap<>();
        if (tickets.isEmpty()) {
            return out;
        }
        Map<UUID, DispatchTicket> byId = new HashMap<>();
        tickets.forEach(t -> byId.put(t.id, t));
        for (Object[] r : rows.of(byId.keySet())) {
            DispatchTicket t = byId.get((UUID) r[0]);
            SlaStage stage = SlaStage.named((String) r[1]);
            if (((Number) r[2]).intValue() != t.round || (stage != null && stage.met(t))) {
                continue; // an earlier round's, or a stage already ended
            }
            Instant deadline = instant(r[3]);
            out.merge(t.id, deadline, (a, b) -> a.isBefore(b) ? a : b);
        }
        return out;
    }

    private static Instant instant(Object v) {
        if (v instanceof Instant i) {
            return i;
        }
        if (v instanceof Timestamp ts) {
            return ts.toInstant();
        }
        if (v instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        throw new IllegalStateException("unexpected deadline type " + v.getClass());
    }
}

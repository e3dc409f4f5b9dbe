package org.hotline.sla.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import org.hotline.sla.model.ClockState;
import org.hotline.sla.model.StageClock;
import org.hotline.sla.model.StageName;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/** Every query of the stage clocks. */
@ApplicationScoped
public class StageClockRepository implements PanacheRepositoryBase<StageClock, Long> {

    private final LockedTickets locked;

    public StageClockRepository(LockedTickets locked) {
        this.locked = locked;
    }

    /**
     * Whether the ticket's clocks are armed. Asked for almost every consumed event: for a ticket the
     * batch locked up front ({@link #lockTickets}) the answer is already known; otherwise a native
     * {@code exists} stops at the first row.
     */
    public boolean armed(UUID ticketId) {
        Boolean known = locked.armed(ticketId);
        if (known != null) {
            return known;
        }
        return (Boolean) getEntityManager().createNativeQuery(
                "select exists (select 1 from stage_clock where ticket_id = ?1)").setParameter(1, ticketId)
                .getSingleResult();
    }

    /**
     * Persists a new clock (a ticket armed, a stage's new round), under its ticket's arrival lock; a
     * ticket locked up front counts it among its clocks from now on.
     */
    public void add(StageClock c) {
        persist(c);
        locked.added(c);
    }

    /** The ticket's clocks, by stage and round, unlocked (for reading). */
    public List<StageClock> ofTicket(UUID ticketId) {
        return list("ticketId = ?1 order by ordinal, round", ticketId);
    }

    /**
     * Once per batch, holding the tickets' arrival locks: locks the unfired timers of all its
     * tickets, then all their clocks (loaded), each in id order, in two statements; each event then
     * finds its ticket locked and its clocks at hand ({@link #lockTicket} reads nothing,
     * {@link #armed} needs no query). Lock order as everywhere: timers, then clocks (the engine never
     * waits on timers: it skips locked ones), so the batch, the engine and other replicas never
     * deadlock.
     */
    public void lockTickets(Collection<UUID> ticketIds) {
        if (ticketIds.isEmpty()) {
            return;
        }
        UUID[] ids = ticketIds.toArray(UUID[]::new);
        lockTimers(ids);
        locked.locked(ticketIds, lockClocksOf(ids));
    }

    /**
     * Locks a ticket's unfired timers, then all its clocks in id order (the engine takes clocks in
     * that order too, after its timers, see {@link #lockClocksOf}), and returns the clocks fresh, by
     * stage and round. A ticket its batch locked up front costs no statement: its clocks are the
     * entities the batch loaded or armed, still managed (the batch's events share the persistence
     * context); were they detached (a context cleared between events), they are read again, without
     * locking (the batch holds the locks). Must be the event's first read of these clocks. Empty:
     * not armed yet.
     */
    public List<StageClock> lockTicket(UUID ticketId) {
        List<StageClock> held = locked.clocks(ticketId);
        List<StageClock> clocks;
        if (held != null && held.stream().allMatch(getEntityManager()::contains)) {
            clocks = new ArrayList<>(held);
        } else if (held != null) {
            clocks = new ArrayList<>(getEntityManager().createQuery("from StageClock where ticketId = :t", StageClock.class)
                    .setParameter("t", ticketId).getResultList());
            locked.reloaded(ticketId, clocks);
        } else {
            lockTimers(new UUID[] { ticketId });
            clocks = new ArrayList<>(getEntityManager().createQuery(
                    "from StageClock where ticketId = :t order by id", StageClock.class)
                    .setParameter("t", ticketId).setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList());
        }
        clocks.sort(Comparator.comparingInt((StageClock c) -> c.ordinal).thenComparingInt(c -> c.round));
        return clocks;
    }

    /**
     * Locks these tickets' unfired timers in id order. Found through their clocks (timer_clock): the
     * timer table has no index on ticket_id, and by ticket it was a scan of every timer ever armed
     * (13 ms with 100,000 rows, per consumed event; 0.08 ms this way, docs/benchmarks.md).
     */
    private void lockTimers(UUID[] ticketIds) {
        getEntityManager().createNativeQuery("select t.id from timer t where t.clock_id in (select c.id from stage_clock c"
                + " where c.ticket_id = any(?1)) and t.fired_at is null order by t.id for update of t")
                .setParameter(1, ticketIds).getResultList();
    }

    /**
     * Locks and loads every clock of these tickets in id order, in one statement (an array
     * parameter: one statement text whatever the batch, where an IN list is re-planned per size):
     * the engine's claim then finds them in the persistence context.
     */
    @SuppressWarnings("unchecked")
    public List<StageClock> lockClocksOf(UUID[] ticketIds) {
        return getEntityManager().createNativeQuery(
                "select * from stage_clock where ticket_id = any(?1) order by id for update", StageClock.class)
                .setParameter(1, ticketIds).getResultList();
    }

    /** The tickets with a clock still counting (waiting, running, or breached and unmet); street null: every street. */
    public List<UUID> ticketsWithOpenClocks(String street) {
        List<ClockState> open = List.of(ClockState.PENDING, ClockState.RUNNING, ClockState.BREACHED);
        return street == null
                ? getEntityManager().createQuery("select distinct c.ticketId from StageClock c where c.state in ?1",
                        UUID.class).setParameter(1, open).getResultList()
                : getEntityManager().createQuery("select distinct c.ticketId from StageClock c where c.street = ?1"
                        + " and c.state in ?2", UUID.class).setParameter(1, street).setParameter(2, open).getResultList();
    }

    /** Every clock of these tickets, by stage and round. */
    public List<StageClock> ofTickets(List<UUID> ticketIds) {
        return list("ticketId in ?1 order by ordinal, round", ticketIds);
    }

    /** Clocks of a stage running or breached and not yet met (a gauge). */
    public long open(StageName stage) {
        return count("stage = ?1 and state in (?2, ?3)", stage, ClockState.RUNNING, ClockState.BREACHED);
    }

    /** On-time and breached counts of one group and stage. */
    public record OutcomeCount(String group, String stage, long onTime, long breached) {
    }

    /**
     * Decided outcomes per group and stage, counted by when the stage started. {@code groupBy} is
     * one of the column expressions of {@link #GROUPS}, never user text.
     */
    @SuppressWarnings("unchecked")
    public List<OutcomeCount> outcomes(String groupBy, Instant from, Instant to) {
        String column = GROUPS.stream().filter(groupBy::equals).findFirst().orElseThrow();
        List<Object[]> rows = getEntityManager().createNativeQuery("select " + column + " as grp, stage,"
                + " count(*) filter (where outcome = 'ON_TIME'), count(*) filter (where outcome = 'BREACHED')"
                + " from stage_clock where outcome is not null"
                + " and started_at >= ?1 and started_at < ?2 group by grp, stage"
                + " order by grp, array_position(array['RESPOND','DISPATCH_CONTACT','ON_SCENE','RESOLVE'], stage)")
                .setParameter(1, from).setParameter(2, to).getResultList();
        return rows.stream().map(r -> new OutcomeCount((String) r[0], (String) r[1], ((Number) r[2]).longValue(),
                ((Number) r[3]).longValue())).toList();
    }

    /** The groupings the summary offers, as column expressions. */
    public static final List<String> GROUPS = List.of("street", "coalesce(unit_type, 'none')", "policy_code");
}

package org.hotline.sla.repository;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.hibernate.Session;
import org.hotline.sla.model.ClockState;
import org.hotline.sla.model.StageClock;
import org.hotline.sla.model.StageName;
import org.hotline.sla.model.Timer;

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

    /** A ticket's new clock and the timers it starts with (none while it waits for an earlier stage). */
    public record NewClock(StageClock clock, List<Timer> timers) {
    }

    /**
     * Arms a ticket: its new clocks (first round) and their timers in ONE statement, with plain
     * JDBC, under the ticket's arrival lock. As entities the clocks cost Hibernate an id, an insert
     * action, a validation and a flush of their own before the timers could reference them, and
     * then a dirty check at every later flush of a consumer's batch (which shares its persistence
     * context): with the timers' batch, two round trips and most of the consumer's CPU per
     * ticket.received. The clocks are written once here and afterwards changed only as entities
     * read back from the database: each gets its id (from the column's default, as the timers do),
     * and a ticket locked up front counts them among its clocks, not managed, so the first event
     * that needs them in this transaction reads them ({@link #lockTicket}).
     */
    public void arm(List<NewClock> clocks) {
        if (clocks.isEmpty()) {
            return;
        }
        int n = clocks.size();
        String[] stage = new String[n];
        Integer[] ordinal = new Integer[n];
        String[] startedAt = new String[n];
        String[] warnAt = new String[n];
        String[] deadline = new String[n];
        String[] state = new String[n];
        List<Integer> timerClock = new ArrayList<>();
        List<String> timerKind = new ArrayList<>();
        List<Integer> timerLevel = new ArrayList<>();
        List<String> timerDue = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StageClock k = clocks.get(i).clock();
            stage[i] = k.stage.name();
            ordinal[i] = k.ordinal;
            startedAt[i] = text(k.startedAt);
            warnAt[i] = text(k.warnAt);
            deadline[i] = text(k.deadline);
            state[i] = k.state.name();
            for (Timer t : clocks.get(i).timers()) {
                timerClock.add(k.ordinal);
                timerKind.add(t.kind.name());
                timerLevel.add(t.level);
                timerDue.add(text(t.dueAt));
            }
        }
        StageClock first = clocks.get(0).clock();
        Map<Integer, Long> ids = new HashMap<>();
        getEntityManager().unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement ps = connection.prepareStatement(ARM)) {
                ps.setObject(1, first.ticketId);
                ps.setLong(2, first.policyId);
                ps.setString(3, first.policyCode);
                ps.setInt(4, first.policyVersion);
                ps.setString(5, first.street);
                ps.setString(6, first.category);
                ps.setArray(7, connection.createArrayOf("text", stage));
                ps.setArray(8, connection.createArrayOf("int4", ordinal));
                ps.setArray(9, connection.createArrayOf("text", startedAt));
                ps.setArray(10, connection.createArrayOf("text", warnAt));
                ps.setArray(11, connection.createArrayOf("text", deadline));
                ps.setArray(12, connection.createArrayOf("text", state));
                ps.setArray(13, connection.createArrayOf("int4", timerClock.toArray(Integer[]::new)));
                ps.setArray(14, connection.createArrayOf("text", timerKind.toArray(String[]::new)));
                ps.setArray(15, connection.createArrayOf("int4", timerLevel.toArray(Integer[]::new)));
                ps.setArray(16, connection.createArrayOf("text", timerDue.toArray(String[]::new)));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.put(rs.getInt(2), rs.getLong(1));
                    }
                }
            }
        });
        for (NewClock nc : clocks) {
            nc.clock().id = ids.get(nc.clock().ordinal);
            locked.added(nc.clock());
        }
    }

    /**
     * The clocks from arrays (one element per stage), then their timers (one element per timer,
     * naming its clock by ordinal, inserted in the given order); a data-modifying WITH runs whether
     * or not the query reads it. Instants go as ISO-8601 text, cast by the database (exact to the
     * microsecond, as the columns are).
     */
    private static final String ARM = "with c as (insert into stage_clock (ticket_id, stage, ordinal, round,"
            + " policy_id, policy_code, policy_version, street, category, started_at, warn_at, deadline, state,"
            + " escalation_level) select ?, s.stage, s.ordinal, 0, ?, ?, ?, ?, ?, s.started_at::timestamptz,"
            + " s.warn_at::timestamptz, s.deadline::timestamptz, s.state, 0"
            + " from unnest(?::text[], ?::int[], ?::text[], ?::text[], ?::text[], ?::text[])"
            + " as s(stage, ordinal, started_at, warn_at, deadline, state) returning id, ordinal, ticket_id),"
            + " t as (insert into timer (clock_id, ticket_id, kind, level, due_at)"
            + " select c.id, c.ticket_id, t.kind, t.level, t.due_at::timestamptz"
            + " from unnest(?::int[], ?::text[], ?::int[], ?::text[]) with ordinality as t(ordinal, kind, level, due_at, n)"
            + " join c on c.ordinal = t.ordinal order by t.n)"
            + " select id, ordinal from c";

    private static String text(Instant i) {
        return i == null ? null : i.toString();
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
     * Locks these tickets' unfired timers in id order. Found through their clocks: the timer table
     * has no index on ticket_id, and by ticket it was a scan of every timer ever armed (13 ms with
     * 100,000 rows, per consumed event). The clock ids as an array, so the planner looks them up in
     * timer_clock_pending (clock_id, fired_at) one by one; as an IN subquery it hash-joined them with
     * every pending timer of the partial index, dead entries and all (3 ms under load instead of
     * 0.3, docs/benchmarks.md, session 29).
     */
    private void lockTimers(UUID[] ticketIds) {
        getEntityManager().createNativeQuery("select t.id from timer t where t.clock_id = any(array(select c.id"
                + " from stage_clock c where c.ticket_id = any(?1))) and t.fired_at is null order by t.id for update of t")
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

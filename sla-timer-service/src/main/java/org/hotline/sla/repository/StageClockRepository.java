package org.hotline.sla.repository;

import java.time.Instant;
import java.util.ArrayList;
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

    /**
     * Whether the ticket's clocks are armed. Asked for almost every consumed event: a native
     * {@code exists} stops at the first row and skips building an HQL count each time.
     */
    public boolean armed(UUID ticketId) {
        return (Boolean) getEntityManager().createNativeQuery(
                "select exists (select 1 from stage_clock where ticket_id = ?1)").setParameter(1, ticketId)
                .getSingleResult();
    }

    /** The ticket's clocks, by stage and round, unlocked (for reading). */
    public List<StageClock> ofTicket(UUID ticketId) {
        return list("ticketId = ?1 order by ordinal, round", ticketId);
    }

    /**
     * Locks a ticket's unfired timers, then all its clocks in id order (the engine takes clocks in
     * that order too, after its timers, see {@link #lockClocksOf}), and returns the clocks fresh, by
     * stage and round. Must be the transaction's first read of these clocks. Empty: not armed yet.
     */
    public List<StageClock> lockTicket(UUID ticketId) {
        getEntityManager().createNativeQuery("select id from timer where ticket_id = ?1 and fired_at is null"
                + " order by id for update").setParameter(1, ticketId).getResultList();
        List<StageClock> clocks = new ArrayList<>(getEntityManager().createQuery(
                "from StageClock where ticketId = :t order by id", StageClock.class)
                .setParameter("t", ticketId).setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList());
        clocks.sort(Comparator.comparingInt((StageClock c) -> c.ordinal).thenComparingInt(c -> c.round));
        return clocks;
    }

    /**
     * Locks and loads every clock of these tickets in id order, in one statement (an array
     * parameter: one statement text whatever the batch, where an IN list is re-planned per size):
     * the engine's claim then finds them in the persistence context.
     */
    public void lockClocksOf(UUID[] ticketIds) {
        getEntityManager().createNativeQuery("select * from stage_clock where ticket_id = any(?1) order by id for update",
                StageClock.class).setParameter(1, ticketIds).getResultList();
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

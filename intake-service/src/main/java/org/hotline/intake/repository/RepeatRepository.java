package org.hotline.intake.repository;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.hotline.backbone.jdbc.JdbcSelect;
import org.hotline.intake.model.MatchedBy;
import org.hotline.intake.model.RepeatReport;

import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Repeat reports (重复件) and the queries that find the open ticket a new report repeats: the
 * same caller phone, or the same category nearby, within the window.
 */
@ApplicationScoped
public class RepeatRepository {

    private static final double METRES_PER_DEGREE = 111_320.0;

    /** The transaction's resource naming the phones it has locked. */
    private static final Object LOCKED_PHONES = RepeatRepository.class.getName() + ".lockedPhones";

    private final EntityManager em;
    private final TransactionSynchronizationRegistry transaction;

    public RepeatRepository(EntityManager em, TransactionSynchronizationRegistry transaction) {
        this.em = em;
        this.transaction = transaction;
    }

    /** The repeat, or null. */
    public RepeatReport find(UUID id) {
        return RepeatReport.findById(id);
    }

    /** The repeat's row locked for the transaction, or null. */
    public RepeatReport lock(UUID id) {
        return RepeatReport.findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** A ticket's repeats, in the order they came. */
    public List<RepeatReport> ofTicket(UUID ticketId) {
        return RepeatReport.list("ticketId", Sort.by("receivedAt").and("id"), ticketId);
    }

    /** Locks the caller's phone for the transaction: two reports from one phone at once cannot both open tickets. */
    public void lockCallerPhone(String phone) {
        lockCallerPhones(List.of(phone));
    }

    /**
     * Locks the callers' phones for the transaction, in lock-key order and in one statement, so a
     * group commit pays one round trip for all its reports and two transactions locking
     * overlapping sets never deadlock. A phone this transaction already holds is not locked again.
     */
    @SuppressWarnings("unchecked")
    public void lockCallerPhones(Collection<String> phones) {
        Set<String> held = (Set<String>) transaction.getResource(LOCKED_PHONES);
        if (held == null) {
            held = new HashSet<>();
            transaction.putResource(LOCKED_PHONES, held);
        }
        List<String> keys = new ArrayList<>(phones.size());
        for (String phone : phones) {
            if (held.add(phone)) {
                keys.add("phone:" + phone);
            }
        }
        if (keys.size() == 1) {
            JdbcSelect.rows(em, "select pg_advisory_xact_lock(hashtext(?))", keys.get(0));
        } else if (!keys.isEmpty()) {
            // the sort in the subquery orders the lock calls (a function in a select list with
            // order by would run before the sort)
            JdbcSelect.rows(em, "select count(*) from (select pg_advisory_xact_lock(k.key) from (select distinct"
                    + " hashtext(t) as key from unnest(cast(? as text[])) as t order by 1) k) l",
                    (Object) keys.toArray(String[]::new));
        }
    }

    /** The open ticket a report repeats, and why. */
    public record Match(UUID ticketId, MatchedBy matchedBy) {
    }

    /**
     * The open ticket reported in [from, to] that a report repeats, or null, in one statement: the
     * one with this caller phone reported latest; else, when the report has coordinates, the one of
     * this category nearest to it within {@code radius} metres (then the latest). One query, not
     * one per rule: it runs for every report.
     */
    public Match openMatch(String phone, String category, Double latitude, Double longitude, double radius,
            Instant from, Instant to) {
        String byPhone = "select id, 1 as rule from ticket where caller_phone = ?"
                + " and status in ('RECEIVED', 'REOPENED') and reported_at between ? and ?"
                + " order by reported_at desc limit 1";
        List<Object[]> rows;
        if (latitude == null || longitude == null) {
            rows = JdbcSelect.rows(em, byPhone, phone, from, to);
        } else {
            double dLat = radius / METRES_PER_DEGREE;
            double dLon = radius / (METRES_PER_DEGREE * Math.max(0.01, Math.cos(Math.toRadians(latitude))));
            // haversine distance in metres; the bounding box lets the index narrow the rows first
            rows = JdbcSelect.rows(em, "select id, rule from ((" + byPhone + ") union all ("
                    + "select id, 2 from (select id, reported_at,"
                    + " 2 * 6371008.8 * asin(sqrt(power(sin(radians(latitude - ?) / 2), 2)"
                    + " + cos(radians(?)) * cos(radians(latitude)) * power(sin(radians(longitude - ?) / 2), 2))) as d"
                    + " from ticket where category = ? and status in ('RECEIVED', 'REOPENED')"
                    + " and reported_at between ? and ? and latitude between ? and ? and longitude between ? and ?) x"
                    + " where d <= ? order by d, reported_at desc limit 1)) m order by rule limit 1",
                    phone, from, to, latitude, latitude, longitude, category, from, to,
                    latitude - dLat, latitude + dLat, longitude - dLon, longitude + dLon, radius);
        }
        if (rows.isEmpty()) {
            return null;
        }
        return new Match((UUID) rows.get(0)[0],
                ((Number) rows.get(0)[1]).intValue() == 1 ? MatchedBy.PHONE : MatchedBy.PROXIMITY);
    }
}

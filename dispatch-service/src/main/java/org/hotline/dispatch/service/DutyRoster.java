package org.hotline.dispatch.service;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.hotline.backbone.config.BackboneConfig;
import org.hotline.dispatch.model.RosterMoment;
import org.hotline.dispatch.repository.RosterRepository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * The on-duty rule (值班), in one place for the whole system: a member is on duty while one of his
 * shifts covers the moment, read as a local time in {@code hotline.time-zone}; a shift whose end is
 * not after its start runs past midnight and belongs to the day it starts (MON 20:00-08:00 covers
 * Monday 20:00 to Tuesday 08:00; 00:00-00:00 is the whole day). A unit is on duty while at least
 * one member is; a unit without any shift has nobody on duty. Recommendations (hence auto-dispatch,
 * the ack-lapse pass-on and escalation actions) only take units on duty, and every
 * {@code assignment.created} names the members to tell ({@code notifyMemberIds}), so
 * notification-service never needs a roster rule of its own.
 */
@ApplicationScoped
public class DutyRoster {

    /** The transaction resource under which a ranking leaves the members on duty it read ({@link #ranked}). */
    private static final String RANKED = DutyRoster.class.getName() + ".ranked";

    /** The members on duty of each candidate unit at one roster moment (minute), as a ranking read them. */
    private record Ranked(RosterMoment moment, Map<String, List<String>> onDuty) {
    }

    private final RosterRepository rows;
    private final ZoneId zone;
    private final TransactionSynchronizationRegistry transactions;

    public DutyRoster(RosterRepository rows, BackboneConfig backbone, TransactionSynchronizationRegistry transactions) {
        this.rows = rows;
        this.zone = backbone.timeZone();
        this.transactions = transactions;
    }

    /** The zone shifts are read in ({@code hotline.time-zone}). */
    public ZoneId zone() {
        return zone;
    }

    public RosterMoment at(Instant instant) {
        ZonedDateTime local = instant.atZone(zone);
        return new RosterMoment(day(local.getDayOfWeek()), day(local.getDayOfWeek().minus(1)),
                hhmm(local.getHour(), local.getMinute()));
    }

    /** "08:05". Not String.format: on every ranking it was 2 % of dispatch's CPU under load. */
    static String hhmm(int hour, int minute) {
        return new String(new char[] {(char) ('0' + hour / 10), (char) ('0' + hour % 10), ':',
            (char) ('0' + minute / 10), (char) ('0' + minute % 10)});
    }

    /**
     * The unit's members on duty at the instant, by member id (in id order). A ranking earlier in
     * the transaction at the same roster moment (the same minute: the roster reads no finer) has
     * read them already for each of its candidates, in the same statement as the ranking: the
     * auto-dispatch's order then names them without a second query.
     */
    public List<String> membersOnDuty(String unitId, Instant at) {
        RosterMoment moment = at(at);
        if (transactions.getTransactionKey() != null
                && transactions.getResource(RANKED) instanceof Ranked r && r.moment().equals(moment)) {
            List<String> known = r.onDuty().get(unitId);
            if (known != null) {
                return known;
            }
        }
        return rows.membersOnDuty(unitId, moment);
    }

    /** What a ranking read of its candidates' members on duty, kept for the rest of the transaction. */
    void ranked(RosterMoment moment, List<RosterRepository.Candidate> candidates) {
        if (transactions.getTransactionKey() == null || candidates.isEmpty()) {
            return; // a ranking outside a transaction (the recommendations view) assigns nothing
        }
        Map<String, List<String>> onDuty = transactions.getResource(RANKED) instanceof Ranked r
                && r.moment().equals(moment) ? r.onDuty() : new HashMap<>();
        candidates.forEach(c -> onDuty.put(c.id(), c.onDuty()));
        transactions.putResource(RANKED, new Ranked(moment, onDuty));
    }

    /** The roster's day code (MON..SUN). */
    static String day(DayOfWeek d) {
        return d.name().substring(0, 3);
    }
}

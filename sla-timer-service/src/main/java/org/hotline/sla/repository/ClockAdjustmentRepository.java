package org.hotline.sla.repository;

import java.time.Instant;

import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The record of every moved deadline and every correction (clock_adjustment): an extension, a
 * repeat report bringing a level forward, a corrected breach. Append only.
 */
@ApplicationScoped
public class ClockAdjustmentRepository {

    /** The kinds of adjustment, as stored. */
    public enum Kind {
        EXTENSION, REPEAT_ESCALATION, BREACH_CORRECTED
    }

    public void record(long clockId, Kind kind, Instant oldDeadline, Instant newDeadline, String reason, String actor,
            String eventId, Instant at) {
        Panache.getEntityManager().createNativeQuery("insert into clock_adjustment (clock_id, kind, old_deadline,"
                + " new_deadline, reason, actor, event_id, at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
                .setParameter(1, clockId).setParameter(2, kind.name()).setParameter(3, oldDeadline)
                .setParameter(4, newDeadline).setParameter(5, reason).setParameter(6, actor).setParameter(7, eventId)
                .setParameter(8, at).executeUpdate();
    }
}

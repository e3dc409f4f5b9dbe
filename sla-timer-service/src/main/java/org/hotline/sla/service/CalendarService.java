package org.hotline.sla.service;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.hotline.backbone.web.ProblemException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** The working-day calendar as data: holidays and make-up working days, editable through the API. */
@ApplicationScoped
public class CalendarService {

    private final EntityManager em;

    public CalendarService(EntityManager em) {
        this.em = em;
    }

    public record CalendarDay(LocalDate day, WorkingDays.Kind kind, String name) {
    }

    /** Every listed day (a few dozen a year: read whole, no cache to go stale across replicas). */
    public Map<LocalDate, WorkingDays.Kind> days() {
        Map<LocalDate, WorkingDays.Kind> out = new LinkedHashMap<>();
        for (CalendarDay d : list(null)) {
            out.put(d.day(), d.kind());
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    public List<CalendarDay> list(Integer year) {
        List<Object[]> rows = year == null
                ? em.createNativeQuery("select day, kind, name from calendar_day order by day").getResultList()
                : em.createNativeQuery("select day, kind, name from calendar_day where extract(year from day) = ?1"
                        + " order by day").setParameter(1, year).getResultList();
        return rows.stream().map(r -> new CalendarDay(toDate(r[0]), WorkingDays.Kind.valueOf((String) r[1]),
                (String) r[2])).toList();
    }

    @Transactional
    public CalendarDay put(LocalDate day, WorkingDays.Kind kind, String name) {
        if (kind == null) {
            throw ProblemException.badRequest("kind", "must be HOLIDAY or WORKDAY");
        }
        em.createNativeQuery("insert into calendar_day (day, kind, name) values (?1, ?2, ?3)"
                + " on conflict (day) do update set kind = excluded.kind, name = excluded.name")
                .setParameter(1, day).setParameter(2, kind.name()).setParameter(3, name).executeUpdate();
        return new CalendarDay(day, kind, name);
    }

    @Transactional
    public void remove(LocalDate day) {
        em.createNativeQuery("delete from calendar_day where day = ?1").setParameter(1, day).executeUpdate();
    }

    private static LocalDate toDate(Object o) {
        return o instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) o;
    }
}

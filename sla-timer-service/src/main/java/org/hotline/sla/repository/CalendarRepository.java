package org.hotline.sla.repository;

import java.time.LocalDate;
import java.util.List;

import org.hotline.sla.model.CalendarDay;
import org.hotline.sla.model.WorkingDays;
import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;

/** The working-day calendar's listed days (a few dozen a year). */
@ApplicationScoped
public class CalendarRepository {

    /** Listed days of a year, or every listed day when {@code year} is null. */
    @SuppressWarnings("unchecked")
    public List<CalendarDay> list(Integer year) {
        List<Object[]> rows = year == null
                ? Panache.getEntityManager().createNativeQuery("select day, kind, name from calendar_day order by day")
                        .getResultList()
                : Panache.getEntityManager().createNativeQuery("select day, kind, name from calendar_day"
                        + " where extract(year from day) = ?1 order by day").setParameter(1, year).getResultList();
        return rows.stream().map(r -> new CalendarDay(toDate(r[0]), WorkingDays.Kind.valueOf((String) r[1]),
                (String) r[2])).toList();
    }

    public void put(CalendarDay d) {
        Panache.getEntityManager().createNativeQuery("insert into calendar_day (day, kind, name) values (?1, ?2, ?3)"
                + " on conflict (day) do update set kind = excluded.kind, name = excluded.name")
                .setParameter(1, d.day()).setParameter(2, d.kind().name()).setParameter(3, d.name()).executeUpdate();
    }

    public void remove(LocalDate day) {
        Panache.getEntityManager().createNativeQuery("delete from calendar_day where day = ?1").setParameter(1, day)
                .executeUpdate();
    }

    private static LocalDate toDate(Object o) {
        return o instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) o;
    }
}

package org.hotline.sla.service;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.hotline.backbone.web.ProblemException;
import org.hotline.sla.model.CalendarDay;
import org.hotline.sla.model.WorkingDays;
import org.hotline.sla.repository.CalendarRepository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** The working-day calendar as data: holidays and make-up working days, editable through the API. */
@ApplicationScoped
public class CalendarService {

    private final CalendarRepository repository;

    public CalendarService(CalendarRepository repository) {
        this.repository = repository;
    }

    /** Every listed day (a few dozen a year: read whole, no cache to go stale across replicas). */
    public Map<LocalDate, WorkingDays.Kind> days() {
        Map<LocalDate, WorkingDays.Kind> out = new LinkedHashMap<>();
        for (CalendarDay d : repository.list(null)) {
            out.put(d.day(), d.kind());
        }
        return out;
    }

    public List<CalendarDay> list(Integer year) {
        return repository.list(year);
    }

    @Transactional
    public CalendarDay put(LocalDate day, WorkingDays.Kind kind, String name) {
        if (kind == null) {
            throw ProblemException.badRequest("kind", "must be HOLIDAY or WORKDAY");
        }
        CalendarDay d = new CalendarDay(day, kind, name);
        repository.put(d);
        return d;
    }

    @Transactional
    public void remove(LocalDate day) {
        repository.remove(day);
    }
}

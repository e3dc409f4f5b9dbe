package org.hotline.sla.model;

import java.time.LocalDate;

/** A listed day of the working-day calendar: a public holiday, or a make-up working day (调休). */
public record CalendarDay(LocalDate day, WorkingDays.Kind kind, String name) {
}

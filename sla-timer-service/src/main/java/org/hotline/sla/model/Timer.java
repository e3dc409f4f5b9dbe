package org.hotline.sla.model;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** A durable timer: a warning, breach or escalation step that falls due at {@code dueAt}. */
@Entity
@Table(name = "timer")
public class Timer {

    /**
     * From the table's sequence. Timers are armed with plain JDBC ({@link
     * org.hotline.sla.repository.TimerRepository#arm(java.util.List)}), the id from the column's
     * default; the pooled generator (50 ids per call, V9) is kept for an entity insert, and its ids
     * never meet the column default's.
     */
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "timer_ids")
    @SequenceGenerator(name = "timer_ids", sequenceName = "timer_id_seq", allocationSize = 50)
    public Long id;

    @Column(name = "clock_id", nullable = false)
    public Long clockId;

    @Column(name = "ticket_id", nullable = false)
    public UUID ticketId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public TimerKind kind;

    /** Escalation level (0 for warning and breach). */
    @Column(nullable = false)
    public int level;

    @Column(name = "due_at", nullable = false)
    public Instant dueAt;

    @Column(name = "fired_at")
    public Instant firedAt;

    /** Milliseconds between due and fired; a timer that fell due while the service was down shows it. */
    @Column(name = "lateness_ms")
    public Long latenessMs;

    /** Ended without publishing anything; {@link #skipReason} says why. */
    @Column(nullable = false)
    public boolean cancelled;

    /** Why it ended without publishing (null: it fired and published). */
    @Enumerated(EnumType.STRING)
    @Column(name = "skip_reason")
    public TimerSkip skipReason;

    /** Failed firings so far (a poison timer is quarantined after sla.engine.max-attempts). */
    @Column(nullable = false)
    public int attempts;

    @Column(name = "last_error")
    public String lastError;
}

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

/** One stage's clock for one ticket, under the policy version pinned at receipt. */
@Entity
@Table(name = "stage_clock")
public class StageClock {

    /**
     * From the table's sequence, 50 ids per call (V10), as the timers' (V9): with ids known before
     * the insert, arming a ticket sends its clocks in one JDBC batch and its timers in another
     * (inserts ordered by table), where an IDENTITY insert cost a round trip and a flush per clock
     * (11 % of the service's samples in the end-to-end benchmark's profile).
     */
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "stage_clock_ids")
    @SequenceGenerator(name = "stage_clock_ids", sequenceName = "stage_clock_id_seq", allocationSize = 50)
    public Long id;

    @Column(name = "ticket_id", nullable = false)
    public UUID ticketId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public StageName stage;

    @Column(nullable = false)
    public int ordinal;

    /** 0 for the first run; a reopened ticket runs restarted stages again as round 1, 2, ... */
    @Column(nullable = false)
    public int round;

    @Column(name = "policy_id", nullable = false)
    public Long policyId;

    @Column(name = "policy_code", nullable = false)
    public String policyCode;

    @Column(name = "policy_version", nullable = false)
    public int policyVersion;

    @Column(nullable = false)
    public String street;

    @Column(nullable = false)
    public String category;

    /** When this stage's time started counting (null while a chained stage waits). */
    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "warn_at")
    public Instant warnAt;

    public Instant deadline;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ClockState state;

    @Column(name = "met_at")
    public Instant metAt;

    @Column(name = "escalation_level", nullable = false)
    public int escalationLevel;

    /** Decided once, when the stage is met or its breach fires; null while undecided or stopped. */
    @Enumerated(EnumType.STRING)
    public Outcome outcome;

    /** The deadline a breach was decided against (a later extension never un-breaches it). */
    @Column(name = "breach_deadline")
    public Instant breachDeadline;

    /** The lead unit's type, once dispatched, until the outcome is decided: rates per unit type. */
    @Column(name = "unit_type")
    public String unitType;
}

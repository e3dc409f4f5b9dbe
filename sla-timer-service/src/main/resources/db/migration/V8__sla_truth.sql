-- Why a timer ended without publishing anything: never a silent drop. STAGE_MET, TICKET_CANCELLED,
-- DEADLINE_MOVED (an extension re-armed it), BREACH_CORRECTED (a late proof of an on-time end),
-- SUPERSEDED_BY_BREACH (a warning whose deadline had already passed when it fired: the breach says
-- more, docs/sla.md), QUARANTINED (it failed on every attempt). Null: it fired and published.
alter table timer add column skip_reason text;
-- A timer whose firing keeps failing (a poison timer) is retried alone, then quarantined.
alter table timer add column attempts int not null default 0;
alter table timer add column last_error text;

-- The deadline a breach was decided against: a late-arriving proof that the stage ended by then
-- corrects the breach; a deadline moved by an extension after the breach never does.
alter table stage_clock add column breach_deadline timestamptz;

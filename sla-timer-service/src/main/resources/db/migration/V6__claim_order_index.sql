-- The engine claims due timers in (due_at, warning < breach < escalation, level, id) order. With
-- only timer_pending (due_at), a burst of timers due at one instant made every claim sort all of
-- them (172 ms per claim of 200 with 100,000 due, docs/benchmarks.md); this index serves the order
-- itself, so a claim reads just the rows it takes.
create index timer_claim_order on timer
    (due_at, (case kind when 'WARNING' then 0 when 'BREACH' then 1 else 2 end), level, id)
    where fired_at is null;

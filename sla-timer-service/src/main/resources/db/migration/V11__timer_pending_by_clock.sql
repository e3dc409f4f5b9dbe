-- A clock's unfired timers, found by (clock_id, fired_at) in one index: the consumers' lock of a
-- batch's timers and the closing of a met stage's timers both ask "clock_id = ? and fired_at is
-- null". With timer_clock (clock_id) alone the planner combined it with the pending timers' partial
-- index (timer_claim_order), whose entries of fired timers stay until a vacuum: under load, where
-- every timer is fired or closed once, each statement scanned ~20,000 dead entries (3-5 ms instead
-- of 0.3, docs/benchmarks.md, session 29). This index replaces timer_clock (the foreign key's too):
-- still one index entry per timer written.
create index timer_clock_pending on timer (clock_id, fired_at);
drop index timer_clock;

-- The outcome of a stage is decided exactly once (met on time, or breached) and never rewritten:
-- metrics and the console recount both read this decision.
alter table stage_clock add column outcome text;
alter table stage_clock add column unit_type text;
create index stage_clock_ticket on stage_clock (ticket_id);
create index stage_clock_outcome on stage_clock (street, outcome) where outcome is not null;

-- Every moved deadline is kept: an extension moves it without hiding that it moved.
create table clock_adjustment (
    id            bigserial primary key,
    clock_id      bigint      not null references stage_clock (id),
    kind          text        not null,
    old_deadline  timestamptz,
    new_deadline  timestamptz,
    reason        text,
    actor         text,
    event_id      text,
    at            timestamptz not null
);
create index clock_adjustment_clock on clock_adjustment (clock_id);
create index stage_clock_open on stage_clock (stage) where state in ('PENDING', 'RUNNING', 'BREACHED');

-- Delivery state: one row per (event, recipient, channel) is the unit of work of the delivery worker.
alter table notification add column seq             bigserial;
alter table notification add column street          text;
alter table notification add column recipient_name  text;
alter table notification add column recipient_role  text;
-- phone number, webhook URL or street: where this row goes, fixed when it was decided
alter table notification add column address         text;
-- what a channel sends (webhook JSON / SMS params), rendered once so every attempt sends the same
alter table notification add column body            text;
alter table notification add column event_time      timestamptz;
alter table notification add column attempts        int not null default 0;
alter table notification add column last_error      text;
alter table notification add column next_attempt_at timestamptz;
alter table notification add column last_attempt_at timestamptz;
alter table notification add column sent_at         timestamptz;
update notification set status = 'RETRYING' where status = 'FAILED';
update notification set event_time = created_at where event_time is null;
update notification set next_attempt_at = created_at where status in ('PENDING', 'RETRYING');
alter table notification alter column event_time set not null;

-- the worker's claim: due rows only
create index notification_due on notification (next_attempt_at) where status in ('PENDING', 'RETRYING');
-- per-ticket ordering check: is an earlier row for the same ticket, recipient and channel still open?
create index notification_order on notification (ticket_id, recipient, channel, seq) where status in ('PENDING', 'RETRYING');
create index notification_status on notification (status, created_at);
create index notification_street on notification (street, created_at);

-- Projection of dispatch's units (unit-events, full state per event): members and shifts as JSON.
create table unit_projection (
    unit_id     text primary key,
    name        text        not null,
    type        text,
    street      text,
    status      text,
    members     text        not null,
    shifts      text        not null,
    event_time  timestamptz not null,
    updated_at  timestamptz not null
);

-- Projection of the ticket's assignments (assignment.created / withdrawn): who handles it.
create table ticket_assignment (
    assignment_id uuid primary key,
    ticket_id     uuid        not null,
    unit_id       text        not null,
    role          text        not null,
    street        text,
    category      text,
    address       text,
    active        boolean     not null default true,
    created_at    timestamptz not null
);
create index ticket_assignment_ticket on ticket_assignment (ticket_id, created_at);

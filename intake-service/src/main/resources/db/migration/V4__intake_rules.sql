-- Idempotency-Key: the first request with a key claims it; a repeat within 24 h gets its result.
create table idempotency_key (
    idem_key     text primary key,
    request_hash text        not null,
    result_kind  text,          -- TICKET | REPEAT, set in the claiming transaction
    result_id    uuid,
    created_at   timestamptz not null
);

-- An upstream reference (110 incident number, 12345 order number) yields one ticket or repeat, ever.
create table upstream_ref (
    source       text        not null,
    ref          text        not null,
    result_kind  text,
    result_id    uuid,
    received_at  timestamptz not null,
    primary key (source, ref)
);
create unique index ticket_source_upstream_ref on ticket (source, upstream_ref) where upstream_ref is not null;

-- 重复件: a report recorded against an open ticket instead of becoming a second one.
create table repeat_report (
    id              uuid primary key,
    ticket_id       uuid        not null references ticket (id),
    matched_by      text        not null,
    status          text        not null, -- ACTIVE | OVERRIDDEN
    source          text        not null,
    caller_name     text        not null,
    caller_phone    text        not null,
    address         text        not null,
    latitude        double precision,
    longitude       double precision,
    street          text        not null,
    grid            text,
    category        text        not null,
    complexity      text        not null,
    description     text        not null,
    upstream_ref    text,
    reported_at     timestamptz not null,
    received_at     timestamptz not null,
    overridden_by   text,
    override_reason text,
    overridden_at   timestamptz
);
create index repeat_report_ticket on repeat_report (ticket_id, received_at);
alter table ticket add column repeat_count int not null default 0;

-- Every change to a ticket, written in the same transaction as the change (the outbox keeps only a week).
create table ticket_history (
    seq         bigserial primary key,
    ticket_id   uuid        not null,
    type        text        not null,
    occurred_at timestamptz not null,
    event_id    uuid,
    data        text        not null
);
create index ticket_history_ticket on ticket_history (ticket_id, seq);
insert into ticket_history (ticket_id, type, occurred_at, event_id, data)
select event_key::uuid, type, created_at, event_id, (payload::jsonb -> 'data')::text
from outbox_event where topic = 'ticket-events' order by seq;

-- search: each filter with the newest-first order it is read in
drop index ticket_caller_phone;
create index ticket_caller_phone_received on ticket (caller_phone, received_at desc);
create index ticket_received on ticket (received_at desc);
create index ticket_status_received on ticket (status, received_at desc);
create index ticket_category_received on ticket (category, received_at desc);
create index ticket_source_received on ticket (source, received_at desc);
-- repeat matching by place: open tickets of a category by latitude (the bounding box narrows to a
-- ~200 m band at once; a (category, reported_at) index would scan every open ticket in the window)
create index ticket_open_category_latitude on ticket (category, latitude) where status in ('RECEIVED', 'REOPENED');

alter table ticket add column cancel_reason text;
alter table ticket add column cancelled_at timestamptz;

-- 回访: the follow-up call to the caller and the satisfaction recorded
create table follow_up (
    id            uuid primary key,
    ticket_id     uuid        not null references ticket (id),
    reached       boolean     not null,
    satisfaction  text,
    comment       text,
    recorded_at   timestamptz not null
);
create index follow_up_ticket on follow_up (ticket_id, recorded_at);

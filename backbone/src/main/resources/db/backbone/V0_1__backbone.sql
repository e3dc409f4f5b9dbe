-- Event plumbing tables, the same in every service's own schema.
create table outbox_event (
    seq          bigserial primary key,
    event_id     uuid        not null unique,
    topic        text        not null,
    event_key    text        not null,
    type         text        not null,
    payload      text        not null,
    created_at   timestamptz not null,
    published_at timestamptz
);
-- the relay reads only what is waiting
create index outbox_event_unpublished on outbox_event (seq) where published_at is null;

create table processed_event (
    consumer     text        not null,
    event_id     text        not null,
    event_type   text        not null,
    processed_at timestamptz not null,
    primary key (consumer, event_id)
);

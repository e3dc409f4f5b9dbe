create table notification (
    id          uuid primary key,
    ticket_id   uuid        not null,
    event_id    text        not null,
    event_type  text        not null,
    recipient   text        not null,
    channel     text        not null,
    text        text        not null,
    status      text        not null,
    created_at  timestamptz not null,
    -- one message per event, recipient and channel, however often the event is delivered
    unique (event_id, recipient, channel)
);
create index notification_ticket on notification (ticket_id, created_at);

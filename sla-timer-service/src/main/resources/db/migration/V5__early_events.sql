-- Events about a ticket whose clocks are not armed yet (stage ends, cancellations... read from
-- another topic before its ticket.received): kept here and applied, in order, when it arrives.
create table early_event (
    id          bigserial primary key,
    ticket_id   uuid        not null,
    event_type  text        not null,
    payload     text        not null,
    received_at timestamptz not null
);
create index early_event_ticket on early_event (ticket_id, id);

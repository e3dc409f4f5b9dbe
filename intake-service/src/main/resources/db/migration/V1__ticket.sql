create table ticket (
    id            uuid primary key,
    source        text        not null,
    caller_name   text        not null,
    caller_phone  text        not null,
    address       text        not null,
    latitude      double precision,
    longitude     double precision,
    street        text        not null,
    grid          text,
    category      text        not null,
    complexity    text        not null,
    description   text        not null,
    upstream_ref  text,
    status        text        not null,
    reported_at   timestamptz not null,
    received_at   timestamptz not null,
    version       bigint      not null default 0
);
create index ticket_street_received on ticket (street, received_at desc);
create index ticket_caller_phone on ticket (caller_phone);

create table unit (
    id          text primary key,
    name        text    not null,
    type        text    not null,
    street      text    not null,
    grids       text[]  not null default '{}',
    categories  text[]  not null default '{}',
    status      text    not null,
    capacity    int     not null check (capacity > 0),
    latitude    double precision,
    longitude   double precision
);
create index unit_street on unit (street);

create table dispatch_ticket (
    id           uuid primary key,
    street       text        not null,
    grid         text,
    category     text        not null,
    complexity   text        not null,
    address      text        not null,
    latitude     double precision,
    longitude    double precision,
    stage        text        not null,
    reported_at  timestamptz not null,
    received_at  timestamptz not null,
    version      bigint      not null default 0
);
create index dispatch_ticket_queue on dispatch_ticket (street, stage, received_at);

create table assignment (
    id          uuid primary key,
    ticket_id   uuid        not null references dispatch_ticket (id),
    unit_id     text        not null references unit (id),
    role        text        not null,
    status      text        not null,
    automatic   boolean     not null,
    created_at  timestamptz not null
);
create index assignment_ticket on assignment (ticket_id);
create index assignment_unit_open on assignment (unit_id) where status in ('OFFERED', 'ACKNOWLEDGED', 'ON_SCENE');
-- never two lead units working one ticket
create unique index assignment_one_open_lead on assignment (ticket_id)
    where role = 'LEAD' and status in ('OFFERED', 'ACKNOWLEDGED', 'ON_SCENE');

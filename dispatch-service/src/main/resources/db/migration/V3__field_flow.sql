-- issue #4: the field flow, the command room's joint dispatch, returns, extensions, units' members and shifts
alter table dispatch_ticket add column caller_phone_masked text;
alter table dispatch_ticket add column on_scene_at timestamptz;
alter table dispatch_ticket add column resolved_at timestamptz;
alter table dispatch_ticket add column closed_at timestamptz;
alter table dispatch_ticket add column closed_by text;
alter table dispatch_ticket add column cancelled_at timestamptz;
alter table dispatch_ticket add column return_count int not null default 0;
alter table dispatch_ticket add column round int not null default 0;

alter table assignment add column reason text not null default 'DISPATCH';
alter table assignment add column recommended boolean not null default false;
alter table assignment add column created_by text;
alter table assignment add column summon_id uuid;
alter table assignment add column ack_deadline timestamptz;
alter table assignment add column acked_at timestamptz;
alter table assignment add column acked_by text;
alter table assignment add column arrived_at timestamptz;
alter table assignment add column arrived_by text;
alter table assignment add column arrival_latitude double precision;
alter table assignment add column arrival_longitude double precision;
alter table assignment add column arrival_distance_m double precision;
alter table assignment add column arrival_flagged boolean not null default false;
alter table assignment add column resolved_at timestamptz;
alter table assignment add column resolved_by text;
alter table assignment add column outcome text;
alter table assignment add column note text;
alter table assignment add column returned_at timestamptz;
alter table assignment add column returned_by text;
alter table assignment add column return_reason_code text;
alter table assignment add column return_note text;
alter table assignment add column return_decision text;
alter table assignment add column return_decided_by text;
alter table assignment add column return_decided_at timestamptz;
alter table assignment add column ended_at timestamptz;
alter table assignment add column ended_reason text;

-- the ack-timeout worker's scan: lead offers not yet acknowledged, by due time
create index assignment_ack_due on assignment (ack_deadline) where status = 'OFFERED' and role = 'LEAD';

create table extension_request (
    id                 uuid primary key,
    ticket_id          uuid        not null references dispatch_ticket (id),
    assignment_id      uuid        not null references assignment (id),
    stage              text        not null,
    reason             text        not null,
    proposed_deadline  timestamptz not null,
    requested_by       text        not null,
    requested_at       timestamptz not null,
    status             text        not null,
    decided_by         text,
    decided_at         timestamptz,
    decision_note      text,
    approved_deadline  timestamptz
);
create index extension_request_ticket on extension_request (ticket_id);

create table unit_member (
    member_id  text primary key,
    unit_id    text not null references unit (id),
    name       text not null,
    phone      text not null,
    role       text
);
create index unit_member_unit on unit_member (unit_id);

create table unit_shift (
    id          uuid primary key,
    unit_id     text   not null references unit (id),
    member_id   text   not null references unit_member (member_id) on delete cascade,
    days        text[] not null,
    start_time  text   not null,
    end_time    text   not null
);
create index unit_shift_unit on unit_shift (unit_id);

create table policy (
    id          bigserial primary key,
    code        text        not null,
    version     int         not null,
    definition  jsonb       not null,
    created_at  timestamptz not null default now(),
    unique (code, version)
);

-- Which policy a ticket gets: the first matching rule by ordinal wins; null matches anything.
create table policy_rule (
    ordinal      int primary key,
    source       text,
    category     text,
    complexity   text,
    street       text,
    policy_code  text not null
);

create table stage_clock (
    id               bigserial primary key,
    ticket_id        uuid        not null,
    stage            text        not null,
    ordinal          int         not null,
    policy_id        bigint      not null references policy (id),
    policy_code      text        not null,
    policy_version   int         not null,
    street           text        not null,
    category         text        not null,
    started_at       timestamptz,
    warn_at          timestamptz,
    deadline         timestamptz,
    state            text        not null,
    met_at           timestamptz,
    escalation_level int         not null default 0,
    unique (ticket_id, stage)
);

create table timer (
    id          bigserial primary key,
    clock_id    bigint      not null references stage_clock (id),
    ticket_id   uuid        not null,
    kind        text        not null,
    level       int         not null default 0,
    due_at      timestamptz not null,
    fired_at    timestamptz,
    lateness_ms bigint,
    cancelled   boolean     not null default false
);
-- the engine only ever looks at what has not fired, in due order
create index timer_pending on timer (due_at) where fired_at is null;
create index timer_clock on timer (clock_id);

insert into policy (code, version, definition) values
('13830', 1, '{"code":"13830","name":{"zh":"13830 快速处置（1分钟响应、3分钟派单联系、8分钟到场、30分钟办结）","en":"13830: respond 1 min, dispatch and contact 3 min, on scene 8 min, resolve 30 min"},
  "stages":[
   {"stage":"RESPOND","anchor":"RECEIPT","duration":"PT1M","warnAt":0.8,
    "ladder":[{"level":1,"recipient":"COMMAND_ROOM_SUPERVISOR","after":"PT0S"},{"level":2,"recipient":"STREET_LEADER","after":"PT2M"},{"level":3,"recipient":"COUNTY_CENTRE","after":"PT5M"}]},
   {"stage":"DISPATCH_CONTACT","anchor":"RECEIPT","duration":"PT3M","warnAt":0.8,
    "ladder":[{"level":1,"recipient":"COMMAND_ROOM_SUPERVISOR","after":"PT0S"},{"level":2,"recipient":"STREET_LEADER","after":"PT3M"},{"level":3,"recipient":"COUNTY_CENTRE","after":"PT10M"}]},
   {"stage":"ON_SCENE","anchor":"RECEIPT","duration":"PT8M","warnAt":0.8,
    "ladder":[{"level":1,"recipient":"COMMAND_ROOM_SUPERVISOR","after":"PT0S","action":"REDISPATCH"},{"level":2,"recipient":"STREET_LEADER","after":"PT5M","action":"ADD_BACKUP"},{"level":3,"recipient":"COUNTY_CENTRE","after":"PT15M"}]},
   {"stage":"RESOLVE","anchor":"RECEIPT","duration":"PT30M","warnAt":0.8,
    "ladder":[{"level":1,"recipient":"COMMAND_ROOM_SUPERVISOR","after":"PT0S"},{"level":2,"recipient":"STREET_LEADER","after":"PT30M"},{"level":3,"recipient":"COUNTY_CENTRE","after":"PT2H"}]}
  ]}');

insert into policy_rule (ordinal, source, category, complexity, street, policy_code) values
(1000, null, null, null, null, '13830');

-- Streets (街道) and their grids (网格) as reference data, not free text: a ticket names a street
-- every dispatcher's scope is drawn by, so a typo must be refused, not stored. Codes are what
-- tickets, tokens (the dispatcher's `street` claim) and dispatch units refer to.
create table street (
    code    text primary key,
    name_zh text    not null,
    name_en text    not null,
    active  boolean not null default true
);

create table grid (
    code    text primary key,
    street  text    not null references street (code),
    name_zh text    not null,
    active  boolean not null default true
);

create index grid_street on grid (street);

-- The demo street: 武康街道 (Wukang, Deqing county), the grids its demo units cover
-- (dispatch-service/src/main/resources/demo/units.sql).
insert into street (code, name_zh, name_en) values ('wukang', '武康街道', 'Wukang subdistrict');
insert into grid (code, street, name_zh) values
('wukang-01', 'wukang', '英溪社区01网格'),
('wukang-02', 'wukang', '英溪社区02网格'),
('wukang-03', 'wukang', '千秋社区03网格'),
('wukang-04', 'wukang', '千秋社区04网格');

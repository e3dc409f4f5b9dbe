-- 派单目录: the category catalogue, as data. Codes are what tickets, dispatch units and SLA
-- policies refer to; names are for the console (zh-CN first, English second).
create table category (
    code               text primary key,
    name_zh            text    not null,
    name_en            text    not null,
    default_complexity text    not null,
    unit_types         text[]  not null,
    -- other spellings accepted on input and stored as the code (e.g. British NEIGHBOUR_DISPUTE)
    aliases            text[]  not null default '{}',
    active             boolean not null default true,
    sort_order         int     not null
);

insert into category (code, name_zh, name_en, default_complexity, unit_types, aliases, sort_order) values
('NOISE',                  '噪声扰民',               'Noise nuisance',                              'SIMPLE',  '{LAW_ENFORCEMENT,POLICE_STATION,MEDIATION,GRID_WORKER}', '{}', 10),
('NEIGHBOR_DISPUTE',       '邻里纠纷',               'Neighbour dispute',                           'SIMPLE',  '{MEDIATION,GRID_WORKER,POLICE_STATION}', '{NEIGHBOUR_DISPUTE}', 20),
('FAMILY_DISPUTE',         '家庭纠纷',               'Family dispute',                              'GENERAL', '{MEDIATION,POLICE_STATION}', '{}', 30),
('PUBLIC_ORDER',           '治安秩序',               'Public order',                                'GENERAL', '{POLICE_STATION}', '{}', 40),
('TRAFFIC_PARKING',        '交通与停车',             'Traffic and parking',                         'SIMPLE',  '{POLICE_STATION,LAW_ENFORCEMENT}', '{}', 50),
('ROAD_DAMAGE',            '道路破损',               'Road damage',                                 'GENERAL', '{CITY_MANAGEMENT}', '{}', 60),
('FACILITY_DAMAGE',        '公共设施损坏',           'Public facility damage',                      'GENERAL', '{CITY_MANAGEMENT,GRID_WORKER}', '{}', 70),
('MANHOLE_COVER',          '井盖缺失破损',           'Missing or broken manhole cover',             'SIMPLE',  '{CITY_MANAGEMENT}', '{}', 80),
('STREET_LIGHT',           '路灯故障',               'Street light out',                            'SIMPLE',  '{CITY_MANAGEMENT}', '{}', 90),
('DRAINAGE_FLOODING',      '排水不畅、道路积水',     'Blocked drains and flooding',                 'GENERAL', '{CITY_MANAGEMENT}', '{}', 100),
('SANITATION',             '环境卫生',               'Sanitation and litter',                       'SIMPLE',  '{CITY_MANAGEMENT,LAW_ENFORCEMENT,GRID_WORKER}', '{}', 110),
('POLLUTION',              '油烟废气污染',           'Pollution (cooking fumes, smoke, exhaust)',   'GENERAL', '{LAW_ENFORCEMENT}', '{}', 120),
('ILLEGAL_CONSTRUCTION',   '违章搭建',               'Illegal construction',                        'COMPLEX', '{LAW_ENFORCEMENT}', '{}', 130),
('STREET_VENDING',         '占道经营',               'Street vending blocking the way',             'SIMPLE',  '{LAW_ENFORCEMENT,CITY_MANAGEMENT}', '{}', 140),
('TREES_GREENERY',         '树木绿化',               'Trees and greenery',                          'SIMPLE',  '{CITY_MANAGEMENT,GRID_WORKER}', '{}', 150),
('STRAY_ANIMALS',          '流浪动物',               'Stray animals',                               'SIMPLE',  '{CITY_MANAGEMENT,GRID_WORKER}', '{}', 160),
('FIRE_HAZARD',            '消防隐患（楼道堆物、飞线充电）', 'Fire hazard (blocked stairwells, unsafe e-bike charging)', 'SIMPLE', '{GRID_WORKER,LAW_ENFORCEMENT}', '{}', 170),
('WAGE_ARREARS',           '拖欠工资',               'Wage arrears',                                'COMPLEX', '{OTHER,MEDIATION}', '{}', 180),
('CONSUMER_DISPUTE',       '消费纠纷',               'Consumer dispute',                            'GENERAL', '{OTHER,MEDIATION}', '{}', 190),
('FOOD_SAFETY',            '食品安全',               'Food safety',                                 'GENERAL', '{OTHER}', '{}', 200),
('PROPERTY_MANAGEMENT',    '物业服务纠纷',           'Property management dispute',                 'GENERAL', '{MEDIATION,GRID_WORKER}', '{}', 210),
('RENTAL_HOUSING',         '房屋租赁纠纷',           'Rental housing dispute',                      'GENERAL', '{MEDIATION,POLICE_STATION}', '{}', 220),
('WATER_POWER_SUPPLY',     '水电气供应故障',         'Water, power or gas supply fault',            'GENERAL', '{OTHER,GRID_WORKER}', '{}', 230),
('PEOPLE_IN_NEED',         '困难群众帮扶',           'Help for people in need (elderly, disabled)', 'GENERAL', '{GRID_WORKER,OTHER}', '{}', 240),
('OTHER',                  '其他',                   'Other',                                       'GENERAL', '{GRID_WORKER,OTHER}', '{}', 990);

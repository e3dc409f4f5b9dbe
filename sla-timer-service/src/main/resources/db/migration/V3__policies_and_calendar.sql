-- Working-day calendar (China's time zone): weekends are rest days unless listed as WORKDAY
-- (调休 make-up days); weekdays are working days unless listed as HOLIDAY.
create table calendar_day (
    day   date primary key,
    kind  text not null check (kind in ('HOLIDAY', 'WORKDAY')),
    name  text
);

-- 2026 public holidays and make-up working days (State Council schedule). Later years are loaded
-- through PUT /api/sla/calendar/{day} when the schedule is published.
insert into calendar_day (day, kind, name) values
('2026-01-01','HOLIDAY','元旦'),('2026-01-02','HOLIDAY','元旦'),('2026-01-03','HOLIDAY','元旦'),
('2026-01-04','WORKDAY','元旦调休'),
('2026-02-14','WORKDAY','春节调休'),
('2026-02-15','HOLIDAY','春节'),('2026-02-16','HOLIDAY','春节'),('2026-02-17','HOLIDAY','春节'),
('2026-02-18','HOLIDAY','春节'),('2026-02-19','HOLIDAY','春节'),('2026-02-20','HOLIDAY','春节'),
('2026-02-21','HOLIDAY','春节'),('2026-02-22','HOLIDAY','春节'),('2026-02-23','HOLIDAY','春节'),
('2026-02-28','WORKDAY','春节调休'),
('2026-04-04','HOLIDAY','清明节'),('2026-04-05','HOLIDAY','清明节'),('2026-04-06','HOLIDAY','清明节'),
('2026-05-01','HOLIDAY','劳动节'),('2026-05-02','HOLIDAY','劳动节'),('2026-05-03','HOLIDAY','劳动节'),
('2026-05-04','HOLIDAY','劳动节'),('2026-05-05','HOLIDAY','劳动节'),
('2026-05-09','WORKDAY','劳动节调休'),
('2026-06-19','HOLIDAY','端午节'),('2026-06-20','HOLIDAY','端午节'),('2026-06-21','HOLIDAY','端午节'),
('2026-09-20','WORKDAY','国庆节调休'),
('2026-09-25','HOLIDAY','中秋节'),('2026-09-26','HOLIDAY','中秋节'),('2026-09-27','HOLIDAY','中秋节'),
('2026-10-01','HOLIDAY','国庆节'),('2026-10-02','HOLIDAY','国庆节'),('2026-10-03','HOLIDAY','国庆节'),
('2026-10-04','HOLIDAY','国庆节'),('2026-10-05','HOLIDAY','国庆节'),('2026-10-06','HOLIDAY','国庆节'),
('2026-10-07','HOLIDAY','国庆节'),
('2026-10-10','WORKDAY','国庆节调休');

insert into policy (code, version, definition) values
('1310', 1, '{"code":"1310","name":{"zh":"1310（1分钟接单、3分钟联系当事人、10分钟到场）","en":"1310: accept 1 min, contact the party 3 min, on scene 10 min"},
  "stages":[
   {"stage":"RESPOND","anchor":"RECEIPT","duration":"PT1M","warnAt":0.8,
    "ladder":[{"level":1,"recipient":"COMMAND_ROOM_SUPERVISOR","after":"PT0S"},{"level":2,"recipient":"STREET_LEADER","after":"PT2M"},{"level":3,"recipient":"COUNTY_CENTRE","after":"PT5M"}]},
   {"stage":"DISPATCH_CONTACT","anchor":"RECEIPT","duration":"PT3M","warnAt":0.8,
    "ladder":[{"level":1,"recipient":"COMMAND_ROOM_SUPERVISOR","after":"PT0S"},{"level":2,"recipient":"STREET_LEADER","after":"PT3M"},{"level":3,"recipient":"COUNTY_CENTRE","after":"PT10M"}]},
   {"stage":"ON_SCENE","anchor":"RECEIPT","duration":"PT10M","warnAt":0.8,
    "ladder":[{"level":1,"recipient":"COMMAND_ROOM_SUPERVISOR","after":"PT0S","action":"REDISPATCH"},{"level":2,"recipient":"STREET_LEADER","after":"PT5M","action":"ADD_BACKUP"},{"level":3,"recipient":"COUNTY_CENTRE","after":"PT15M"}]}
  ]}'),
('DAYS-SIMPLE', 1, '{"code":"DAYS-SIMPLE","name":{"zh":"简单诉求 3 个工作日办结","en":"Simple request: resolved within 3 working days"},
  "stages":[
   {"stage":"RESPOND","anchor":"RECEIPT","duration":"PT2H","warnAt":0.8,
    "ladder":[{"level":1,"recipient":"COMMAND_ROOM_SUPERVISOR","after":"PT0S"},{"level":2,"recipient":"STREET_LEADER","after":"PT4H"}]},
   {"stage":"RESOLVE","anchor":"RECEIPT","workingDays":3,"warnAt":0.8,
    "ladder":[{"level":1,"recipient":"COMMAND_ROOM_SUPERVISOR","after":"PT0S"},{"level":2,"recipient":"STREET_LEADER","after":"P1D"},{"level":3,"recipient":"COUNTY_CENTRE","after":"P3D"}]}
  ]}'),
('DAYS-GENERAL', 1, '{"code":"DAYS-GENERAL","name":{"zh":"一般诉求 7 个工作日办结","en":"General request: resolved within 7 working days"},
  "stages":[
   {"stage":"RESPOND","anchor":"RECEIPT","duration":"PT2H","warnAt":0.8,
    "ladder":[{"level":1,"recipient":"COMMAND_ROOM_SUPERVISOR","after":"PT0S"},{"level":2,"recipient":"STREET_LEADER","after":"PT4H"}]},
   {"stage":"RESOLVE","anchor":"RECEIPT","workingDays":7,"warnAt":0.8,
    "ladder":[{"level":1,"recipient":"COMMAND_ROOM_SUPERVISOR","after":"PT0S"},{"level":2,"recipient":"STREET_LEADER","after":"P2D"},{"level":3,"recipient":"COUNTY_CENTRE","after":"P5D"}]}
  ]}'),
('DAYS-COMPLEX', 1, '{"code":"DAYS-COMPLEX","name":{"zh":"复杂诉求 30 个工作日办结","en":"Complex request: resolved within 30 working days"},
  "stages":[
   {"stage":"RESPOND","anchor":"RECEIPT","duration":"PT4H","warnAt":0.8,
    "ladder":[{"level":1,"recipient":"COMMAND_ROOM_SUPERVISOR","after":"PT0S"},{"level":2,"recipient":"STREET_LEADER","after":"PT8H"}]},
   {"stage":"RESOLVE","anchor":"RECEIPT","workingDays":30,"warnAt":0.8,
    "ladder":[{"level":1,"recipient":"COMMAND_ROOM_SUPERVISOR","after":"PT0S"},{"level":2,"recipient":"STREET_LEADER","after":"P5D"},{"level":3,"recipient":"COUNTY_CENTRE","after":"P10D"}]}
  ]}'),
('WAGE-ARREARS', 1, '{"code":"WAGE-ARREARS","name":{"zh":"欠薪诉求 24 小时响应、72 小时办结","en":"Wage arrears: respond within 24 h, close within 72 h"},
  "stages":[
   {"stage":"RESPOND","anchor":"RECEIPT","duration":"PT24H","warnAt":0.8,
    "ladder":[{"level":1,"recipient":"COMMAND_ROOM_SUPERVISOR","after":"PT0S"},{"level":2,"recipient":"STREET_LEADER","after":"PT12H"},{"level":3,"recipient":"COUNTY_CENTRE","after":"PT24H"}]},
   {"stage":"RESOLVE","anchor":"RECEIPT","duration":"PT72H","warnAt":0.8,
    "ladder":[{"level":1,"recipient":"COMMAND_ROOM_SUPERVISOR","after":"PT0S"},{"level":2,"recipient":"STREET_LEADER","after":"PT24H"},{"level":3,"recipient":"COUNTY_CENTRE","after":"PT48H"}]}
  ]}');

-- First match by ordinal wins; null matches anything; the default comes last.
delete from policy_rule;
insert into policy_rule (ordinal, source, category, complexity, street, policy_code) values
(10,   null, 'WAGE_ARREARS', null,      null,      'WAGE-ARREARS'),
(20,   null, null,           null,      'qujiang', '1310'),
(30,   null, null,           'SIMPLE',  null,      '13830'),
(40,   null, null,           'GENERAL', null,      'DAYS-GENERAL'),
(50,   null, null,           'COMPLEX', null,      'DAYS-COMPLEX'),
(1000, null, null,           null,      null,      '13830');

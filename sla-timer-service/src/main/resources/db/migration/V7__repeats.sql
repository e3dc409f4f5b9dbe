-- Repeat reports (重复件) of a ticket, as intake published them; an operator's "not a repeat"
-- removes the row. The console shows the count.
create table ticket_repeat (
    ticket_id    uuid        not null,
    repeat_id    uuid        not null,
    reported_at  timestamptz,
    recorded_at  timestamptz not null,
    primary key (ticket_id, repeat_id)
);

-- Version 2 of every seeded policy: a repeat call about a stage that is already breached brings
-- that stage's next escalation level forward (督办). Tickets running on version 1 keep it.
insert into policy (code, version, definition)
select p.code, p.version + 1,
       jsonb_set(p.definition, '{stages}',
                 (select jsonb_agg(s || '{"onRepeat":"ESCALATE_NOW"}'::jsonb order by i)
                    from jsonb_array_elements(p.definition -> 'stages') with ordinality as e(s, i)))
  from policy p
 where p.code in ('13830', '1310', 'DAYS-SIMPLE', 'DAYS-GENERAL', 'DAYS-COMPLEX', 'WAGE-ARREARS')
   and p.version = (select max(q.version) from policy q where q.code = p.code);

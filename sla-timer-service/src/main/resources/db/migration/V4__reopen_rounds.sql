-- A reopened ticket (dissatisfied follow-up) runs the stages its policy restarts again, as a new
-- round; earlier rounds keep their outcome.
alter table stage_clock add column round int not null default 0;
alter table stage_clock drop constraint stage_clock_ticket_id_stage_key;
alter table stage_clock add constraint stage_clock_ticket_stage_round unique (ticket_id, stage, round);

-- What the seeded policies do on reopen: the last stage restarts. (Set on the seed rows
-- themselves, before any ticket ran; later edits publish new versions through the API.)
update policy set definition = jsonb_set(definition, '{stages,3,onReopen}', '"RESTART"')
    where version = 1 and code = '13830';
update policy set definition = jsonb_set(definition, '{stages,2,onReopen}', '"RESTART"')
    where version = 1 and code = '1310';
update policy set definition = jsonb_set(definition, '{stages,1,onReopen}', '"RESTART"')
    where version = 1 and code in ('DAYS-SIMPLE', 'DAYS-GENERAL', 'DAYS-COMPLEX', 'WAGE-ARREARS');

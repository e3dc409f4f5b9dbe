-- issue #16: the SLA service's real deadlines (sla.stage-started; an approved extension moves one),
-- so the queue orders by them instead of a copy of the 13830 limits. No foreign key: the SLA event
-- may arrive before dispatch has the ticket (another topic, no order between topics).
create table ticket_deadline (
    ticket_id  uuid        not null,
    stage      text        not null,
    round      int         not null,
    deadline   timestamptz not null,
    primary key (ticket_id, stage, round)
);

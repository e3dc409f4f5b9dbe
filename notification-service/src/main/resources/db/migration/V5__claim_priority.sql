-- Issue #18, a live run's delivery collapse: behind 13,000 due SLA webhooks written within seconds,
-- on statistics taken while the table was nearly empty, each claim walked and sorted the whole
-- backlog, and the dispatch notices written after it were never sent.
-- priority: 0 = urgent (notification.delivery.urgent-types: a unit's order), 1 = routine. The claim
-- walks this index in its order, urgent due rows first, and stops once it is full.
alter table notification add column priority smallint not null default 1;
create index notification_claim on notification (priority, next_attempt_at, seq) where status in ('PENDING', 'RETRYING');

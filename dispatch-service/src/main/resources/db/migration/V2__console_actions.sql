alter table dispatch_ticket add column taken_at timestamptz;
alter table dispatch_ticket add column taken_by text;
alter table dispatch_ticket add column dispatched_at timestamptz;
alter table dispatch_ticket add column caller_contacted_at timestamptz;
alter table dispatch_ticket add column caller_contacted_by text;

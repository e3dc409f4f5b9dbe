-- Audit log (issue #7): every action by a person, append-only. The triggers refuse UPDATE, DELETE
-- and TRUNCATE from any code path; against the table's owner itself (who could drop a trigger),
-- production makes another role the owner and grants the service only INSERT and SELECT
-- (docs/security.md).
create table audit_log (
    id        bigserial   primary key,
    at        timestamptz not null,
    actor     text        not null,
    roles     text        not null,
    action    text        not null,
    ticket_id text,
    status    int         not null,
    client    text
);
create index audit_log_ticket on audit_log (ticket_id, id) where ticket_id is not null;
create index audit_log_actor on audit_log (actor, id);

create function audit_log_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_log is append-only (% refused)', tg_op;
end
$$;
create trigger audit_log_no_change before update or delete on audit_log
    for each row execute function audit_log_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_append_only();

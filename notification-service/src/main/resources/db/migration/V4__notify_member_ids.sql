-- issue #16: dispatch names the members to tell of each order (assignment.created notifyMemberIds,
-- decided by its duty roster); notification keeps them with the assignment, so later events of the
-- ticket (breach, repeat report) reach the same people. Null: the event came before the field
-- existed, and every member of the unit is told. unit_projection.shifts stays (no longer read):
-- a rollback to the previous version still finds the rosters it reads.
alter table ticket_assignment add column notify_member_ids text;

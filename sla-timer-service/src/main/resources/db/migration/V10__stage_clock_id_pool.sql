-- Clock ids come from Hibernate's pooled optimizer, 50 per nextval (StageClock.id), as the timers'
-- do (V9), so arming a ticket inserts its clocks in one JDBC batch. Plain inserts (the column
-- default) still draw from the same sequence, above every id Hibernate has handed out.
alter sequence stage_clock_id_seq increment by 50;

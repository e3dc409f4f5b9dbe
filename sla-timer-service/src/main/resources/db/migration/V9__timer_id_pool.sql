-- Timer ids come from Hibernate's pooled optimizer, 50 per nextval (Timer.id), so a ticket's
-- timers are inserted in one JDBC batch. Plain inserts (the column default) still draw from the
-- same sequence, above every id Hibernate has handed out.
alter sequence timer_id_seq increment by 50;

-- Event ids are remembered for deduplication only as long as a redelivery can come
-- (hotline.consumer.dedup-retention); the pruner finds the old ones by age.
create index processed_event_age on processed_event (consumer, processed_at);

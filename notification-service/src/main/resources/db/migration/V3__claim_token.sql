-- Fencing of the delivery worker's claims: each claim writes a fresh token; the worker sends a row and
-- records its outcome only while the row still carries that token. Once a lease ran out and another
-- replica re-claimed the row (new token), the first worker's send and outcome match no row.
alter table notification add column claim_token uuid;

-- The matches of a type are decided in a step of their own, before any batch of the type commits, instead of in the
-- transaction of its first batch (src/pipeline/process-import.ts): a contact's decision reads only what the other
-- sources committed, so it runs beside the clients' commits, and the first batch of a type no longer commits alone.
-- The mark says the type was decided: set in the deciding transaction, so a resumed import never decides twice.
ALTER TABLE import_counts ADD COLUMN matches_decided_at timestamptz;
-- The step is logged as 'match' with the number of the type's first batch, so each (step, batch) is logged once.
ALTER TABLE import_log DROP CONSTRAINT import_log_step_check;
ALTER TABLE import_log ADD CONSTRAINT import_log_step_check CHECK (step IN ('check', 'match', 'commit', 'finalise'));

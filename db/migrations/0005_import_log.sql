-- What processed an import, step by step: one row per step (and per committed batch), written in the step's own
-- transaction, so a step that rolled back leaves no row and a step done twice would show twice. Operators read it
-- to see which worker did what; the tests read it to prove each step ran exactly once.
CREATE TABLE import_log (
  import_id uuid NOT NULL REFERENCES imports ON DELETE CASCADE,
  step text NOT NULL CHECK (step IN ('check', 'commit', 'finalise')),
  batch_no integer,
  worker text NOT NULL,
  ms integer NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX import_log_import ON import_log (import_id, at);

-- Undo of a completed import (SPEC §10; src/imports/undo.service.ts, src/pipeline/undo-import.ts): the import and
-- its completed retries lose their source links, and the central records no other link holds are removed, in
-- resumable steps of a pg-boss job.

-- An import's links, found by import: what the preview counts and the undo releases (one index range per import).
CREATE INDEX source_records_import ON source_records (import_id);

-- The retries undone together with the import whose undo was asked for (that import: undo_with null). Only that one
-- has a job and a heartbeat; the others follow its status.
ALTER TABLE imports
  ADD COLUMN undo_with uuid REFERENCES imports ON DELETE CASCADE,
  -- set when the undo's plan is made (its first step): how many central records it removes, for `progress`
  ADD COLUMN undo_total integer,
  ADD CONSTRAINT imports_undo_with_check CHECK (undo_with IS NULL OR status IN ('undoing', 'undone'));
-- The stalled-work sweep looks at undoing imports too.
CREATE INDEX imports_undoing ON imports (heartbeat_at) WHERE status = 'undoing' AND undo_with IS NULL;

-- The plan of an undo: the central records it removes, planned in one transaction with the release of the source
-- keys (after which nothing can find them by ref), then consumed in chunks, each chunk deleted in the transaction
-- that removes its records, so a crash resumes with exactly what is left.
CREATE TABLE undo_records (
  practice_id uuid NOT NULL REFERENCES practices ON DELETE CASCADE,
  import_id uuid NOT NULL REFERENCES imports ON DELETE CASCADE,
  record_type text NOT NULL CHECK (record_type IN ('clients', 'contacts', 'addresses')),
  central_id uuid NOT NULL,
  PRIMARY KEY (import_id, central_id)
);
CREATE INDEX undo_records_type ON undo_records (import_id, record_type);
ALTER TABLE undo_records ENABLE ROW LEVEL SECURITY;
CREATE POLICY practice_only ON undo_records USING (practice_id = current_practice()) WITH CHECK (practice_id = current_practice());
GRANT SELECT ON undo_records TO brightclient_tenant;

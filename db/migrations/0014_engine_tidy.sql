-- Staged rows are never marked 'imported' since 0008 (a null outcome in a committed batch means imported), so the
-- CHECK stops allowing it; rows marked so before 0008 get the meaning they have now. The phase gets the closed
-- list of src/imports/import-lifecycle.ts, as status has had since 0001.
UPDATE staged_clients SET outcome = NULL WHERE outcome = 'imported';
UPDATE staged_contacts SET outcome = NULL WHERE outcome = 'imported';
UPDATE staged_addresses SET outcome = NULL WHERE outcome = 'imported';

ALTER TABLE staged_clients DROP CONSTRAINT staged_clients_outcome_check,
  ADD CONSTRAINT staged_clients_outcome_check CHECK (outcome IN ('failed', 'skipped'));
ALTER TABLE staged_contacts DROP CONSTRAINT staged_contacts_outcome_check,
  ADD CONSTRAINT staged_contacts_outcome_check CHECK (outcome IN ('failed', 'skipped'));
ALTER TABLE staged_addresses DROP CONSTRAINT staged_addresses_outcome_check,
  ADD CONSTRAINT staged_addresses_outcome_check CHECK (outcome IN ('failed', 'skipped'));

ALTER TABLE imports ADD CONSTRAINT imports_phase_check
  CHECK (phase IN ('receiving', 'queued', 'checking', 'committing', 'finalising', 'completed'));
COMMENT ON COLUMN imports.phase IS 'receiving | queued | checking | committing | finalising | completed (import-lifecycle.ts)';

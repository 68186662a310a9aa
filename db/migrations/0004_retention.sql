-- Staged records (what the sources sent) are deleted a configurable time after their import completed; the
-- import, its counts, batches and error rows stay for as long as the import is listed.
ALTER TABLE imports ADD COLUMN staged_purged_at timestamptz;
CREATE INDEX imports_purgeable ON imports (completed_at) WHERE status = 'completed' AND staged_purged_at IS NULL;

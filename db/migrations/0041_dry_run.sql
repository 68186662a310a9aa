-- A dry run (SPEC §10) claims no source keys, so whether a ref was imported cannot be read from source_records for
-- the records the dry run itself would have imported: in the real import, a duplicate whose kept copy went in is
-- not still failing. Finalising a dry run marks those error rows (pipeline/dry-run.sql.ts), and the still-failing
-- reads (imports/still-failing.sql.ts, failed-refs.sql.ts, reports/error-file.sql.ts) take a marked row as
-- imported. A real import never marks one: for it, source_records says so.
ALTER TABLE record_errors ADD COLUMN dry_run_imported boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN record_errors.dry_run_imported IS
  'a dry run''s error row whose ref that dry run would have imported (a duplicate of a kept copy that passed)';

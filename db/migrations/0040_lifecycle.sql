-- The rest of an import's life (SPEC §5, §10): what started it (kind: import, retry or activation), whether it is a
-- dry run (processed in full, nothing written to the central tables), and an undo (completed → undoing → undone,
-- who asked and when). The lists are those of src/domain/import-lifecycle.ts.
ALTER TABLE imports DROP CONSTRAINT imports_status_check,
  ADD CONSTRAINT imports_status_check CHECK (status IN ('receiving', 'processing', 'completed', 'cancelled', 'undoing', 'undone'));
ALTER TABLE imports DROP CONSTRAINT imports_phase_check,
  ADD CONSTRAINT imports_phase_check
  CHECK (phase IN ('receiving', 'queued', 'checking', 'committing', 'finalising', 'completed', 'cancelled', 'undoing', 'undone'));
COMMENT ON COLUMN imports.phase IS
  'receiving | queued | checking | committing | finalising | completed | cancelled | undoing | undone (import-lifecycle.ts)';

-- kind was implied by retry_of until now; it is a column because an activation import is not a retry either.
ALTER TABLE imports
  ADD COLUMN kind text NOT NULL DEFAULT 'import' CHECK (kind IN ('import', 'retry', 'activation')),
  ADD COLUMN dry_run boolean NOT NULL DEFAULT false,
  ADD COLUMN undo_requested_at timestamptz,
  ADD COLUMN undo_requested_by_user uuid REFERENCES users ON DELETE SET NULL,
  ADD COLUMN undone_at timestamptz;
UPDATE imports SET kind = 'retry' WHERE retry_of IS NOT NULL;
ALTER TABLE imports
  ADD CONSTRAINT imports_kind_check_retry CHECK ((kind = 'retry') = (retry_of IS NOT NULL)),
  ADD CONSTRAINT imports_undone_check CHECK ((status = 'undone') = (undone_at IS NOT NULL)),
  ADD CONSTRAINT imports_undo_check CHECK (status NOT IN ('undoing', 'undone') OR (undo_requested_at IS NOT NULL AND NOT dry_run));
COMMENT ON COLUMN imports.undo_requested_by_user IS 'the practice user who asked for the undo; null: the import''s source product';

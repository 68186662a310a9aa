-- Cancel and expiry of receiving imports (SPEC §10): the status and phase `cancelled` (import-lifecycle.ts), why
-- (`cancelled` on request, `expired` when idle past BRIGHTCLIENT_RECEIVING_TTL_HOURS), when, and who asked: a
-- practice user, else (cancelled_by_user null) the import's source product; nobody for an expiry.
ALTER TABLE imports DROP CONSTRAINT imports_status_check,
  ADD CONSTRAINT imports_status_check CHECK (status IN ('receiving', 'processing', 'completed', 'cancelled'));
ALTER TABLE imports DROP CONSTRAINT imports_phase_check,
  ADD CONSTRAINT imports_phase_check
  CHECK (phase IN ('receiving', 'queued', 'checking', 'committing', 'finalising', 'completed', 'cancelled'));
COMMENT ON COLUMN imports.phase IS 'receiving | queued | checking | committing | finalising | completed | cancelled (import-lifecycle.ts)';

ALTER TABLE imports
  ADD COLUMN cancel_reason text CHECK (cancel_reason IN ('cancelled', 'expired')),
  ADD COLUMN cancelled_at timestamptz,
  ADD COLUMN cancelled_by_user uuid REFERENCES users ON DELETE SET NULL,
  ADD CONSTRAINT imports_cancelled_check CHECK ((status = 'cancelled') = (cancel_reason IS NOT NULL AND cancelled_at IS NOT NULL));

-- The expiry sweep looks at receiving imports only.
CREATE INDEX imports_receiving ON imports (created_at) WHERE status = 'receiving';

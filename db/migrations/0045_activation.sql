-- Activation (SPEC §10): a practice activates BrightClient and each connected source gets one import of kind
-- `activation` to fulfil. POST /v1/activation is idempotent under a per-practice lock (activation.service.ts);
-- this index is the second wall: at most one live activation import per source — a cancelled, expired or undone one
-- is no longer live, and activating again opens a new one. It also finds a source's activation imports.
CREATE UNIQUE INDEX imports_live_activation ON imports (practice_id, source)
  WHERE kind = 'activation' AND status NOT IN ('cancelled', 'undone');
CREATE INDEX imports_activation ON imports (practice_id, source, created_at DESC) WHERE kind = 'activation';

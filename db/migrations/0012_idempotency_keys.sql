-- Starting an import (or a retry) with an Idempotency-Key header: the same key from the same source answers with the
-- import it started before, so a client that lost the answer can ask again without leaving an orphan import.
ALTER TABLE imports ADD COLUMN idempotency_key text CHECK (length(idempotency_key) BETWEEN 1 AND 200);
CREATE UNIQUE INDEX imports_idempotency_key ON imports (practice_id, source, idempotency_key) WHERE idempotency_key IS NOT NULL;

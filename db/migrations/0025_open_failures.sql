-- The root record of a knock-on failure (SPEC §6 `caused_by`), as `<record_type>:<ref>`, e.g. `client:C-1001`:
-- null for a root cause. Filled once, when the import is finalised (src/pipeline/caused-by.sql.ts), from the staged
-- links, which are purged later while the error rows stay. Imports finalised before this migration keep null.
ALTER TABLE record_errors ADD COLUMN caused_by text;

-- The open failures (GET /v1/failures) list a ref that failed in several imports once, from the latest: an
-- anti-join on the other imports' rows of that ref, which needs them by ref.
CREATE INDEX record_errors_ref ON record_errors (ref, record_type) WHERE ref IS NOT NULL;

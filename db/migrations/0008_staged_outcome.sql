-- What a staged record's `outcome` means since imported rows are no longer rewritten at commit (see
-- src/pipeline/commit.sql.ts): failed and skipped are marked; a null outcome is pending while its batch is not
-- committed (batches.committed_at) and imported once it is.
COMMENT ON COLUMN staged_clients.outcome IS 'failed | skipped; null: pending until the batch is committed, imported after';
COMMENT ON COLUMN staged_contacts.outcome IS 'failed | skipped; null: pending until the batch is committed, imported after';
COMMENT ON COLUMN staged_addresses.outcome IS 'failed | skipped; null: pending until the batch is committed, imported after';

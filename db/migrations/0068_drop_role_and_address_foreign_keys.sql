-- The roles' and the address histories' foreign keys to their clients and contacts go: at every commit each role
-- paid two checks and each address one, row by row (profile at 136,037 records on PostgreSQL 15: 1.2–2.2 s for
-- 27,935 roles, 0.6–0.7 s per addresses batch), for rows whose ends the same statement just took from source_records.
-- Integrity is now kept by the only statements that remove a client or a contact, each in its transaction
-- (docs/decisions.md): an undo removes a record's roles and addresses with it (src/pipeline/undo.sql.ts), a merge
-- moves them to the survivor first (src/repository/match-merge.sql.ts); a split moves them to a record it creates.
-- test/integration/dangling-references.test.ts asserts that no role or address names a missing client or contact.
ALTER TABLE client_contacts
  DROP CONSTRAINT client_contacts_client_id_fkey,
  DROP CONSTRAINT client_contacts_contact_id_fkey;
ALTER TABLE addresses
  DROP CONSTRAINT addresses_client_id_fkey,
  DROP CONSTRAINT addresses_contact_id_fkey;

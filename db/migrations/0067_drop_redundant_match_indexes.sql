-- Three indexes of 0030 that other indexes already serve, each written at every commit of every record for nothing
-- (the commit's own figures are in docs/performance.md):
--   contacts_practice_person (practice_id, name_folded): contacts_practice_name_folded (0016) has the same columns;
--     its text_pattern_ops class serves `=` too (the operator is the same for every operator class of text);
--   addresses_client_entry / addresses_contact_entry (owner, postcode): addresses_client / addresses_contact (0001)
--     lead with the owner, which has a handful of entries, so the postcode narrows nothing an index needs to.
-- Matching's lookups (match.sql.ts, match-review.sql.ts, match-merge.sql.ts) still take an index scan: checked with
-- EXPLAIN on PostgreSQL 15 (100,000 contacts, 150,000 addresses): the contacts' lookup by name takes
-- contacts_practice_name_folded, the address lookups addresses_client / addresses_contact (as they already did).
DROP INDEX contacts_practice_person;
DROP INDEX addresses_client_entry;
DROP INDEX addresses_contact_entry;

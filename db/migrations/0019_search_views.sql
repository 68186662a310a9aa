-- Search reads the practice's rows through these views instead of the tables. Under a row-level security policy
-- PostgreSQL evaluates only leakproof operators before the policy, so the search's LIKE, && and %> could not use
-- their indexes at all (every search a full scan: ~100 ms at 20,000 clients). The views hold the same practice
-- filter as the policies (current_practice(), set by the transaction), and as simple views owned by the tables'
-- owner they let the planner use the indexes. They are not security barriers: that only matters to someone who can
-- create functions, which brightclient_tenant cannot (it has USAGE on the schema, not CREATE), so a request still
-- sees its own practice's rows and nothing else.
CREATE VIEW practice_clients AS SELECT * FROM clients WHERE practice_id = current_practice();
CREATE VIEW practice_contacts AS SELECT * FROM contacts WHERE practice_id = current_practice();
CREATE VIEW practice_search_words AS SELECT * FROM search_words WHERE practice_id = current_practice();
GRANT SELECT ON practice_clients, practice_contacts, practice_search_words TO brightclient_tenant;

-- A GIN index takes new rows into a pending list, merged later, which every search scans in full: with the default
-- 4 MB limit a freshly imported practice's search spent 33 ms there for 6 rows. A 256 kB limit keeps inserts
-- batched (a commit of thousands of clients still merges in a few goes) and the scan short.
ALTER INDEX clients_name_keys SET (gin_pending_list_limit = 256);
ALTER INDEX contacts_name_keys SET (gin_pending_list_limit = 256);
ALTER INDEX clients_practice_name_trgm SET (gin_pending_list_limit = 256);
ALTER INDEX contacts_practice_name_trgm SET (gin_pending_list_limit = 256);
ALTER INDEX search_words_trgm SET (gin_pending_list_limit = 256);

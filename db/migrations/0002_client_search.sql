-- Indexes of the central repository's reads (GET /v1/clients, /v1/clients/{id}, /v1/contacts/{id}).

-- Client search is always within one practice. With a trigram index on `search` alone, a common trigram ("ltd")
-- returns candidates of every practice, and each is fetched from the heap only to be thrown away; with practice_id
-- as the GIN's first column (btree_gin) the index hands back only the caller's rows. It replaces 0001's index,
-- which no scoped query would use any more and which would only cost writes during imports.
CREATE EXTENSION IF NOT EXISTS btree_gin;
CREATE INDEX clients_practice_search_trgm ON clients USING gin (practice_id, search gin_trgm_ops);
DROP INDEX clients_search_trgm;

-- Exact and prefix matches of a client reference (case-insensitive) and of a company number (stored upper-case,
-- without spaces). text_pattern_ops lets `LIKE 'ACME%'` become an index range whatever the database collation.
CREATE INDEX clients_practice_reference ON clients (practice_id, upper(client_reference) text_pattern_ops);
CREATE INDEX clients_practice_company_number ON clients (practice_id, company_number text_pattern_ops)
  WHERE company_number IS NOT NULL;

-- A central record's source refs (`sources` of a client or contact): the primary key leads with the source's ref,
-- the reads start from the central id.
CREATE INDEX source_records_central ON source_records (central_id);

-- One client across products (SPEC §9): a source record joins an existing central record of another source
-- when their identifiers agree, at commit, by index lookups on normalised keys (src/pipeline/match.sql.ts);
-- what cannot be decided automatically becomes a review item (match_reviews), decided by a practice user.

-- How each source link was made, when, and the values that source sent which differ from the central record's
-- (the first source's values stand; a later source only fills empty fields; SPEC §9 "Values").
ALTER TABLE source_records
  ADD COLUMN matched_by text NOT NULL DEFAULT 'new' CHECK (matched_by IN (
    'new', 'company_number', 'utr', 'vat_number', 'name_and_email', 'name_and_date_of_birth', 'name_and_ni_number',
    'name_and_phone', 'same_address', 'review', 'split')),
  ADD COLUMN matched_at timestamptz NOT NULL DEFAULT now(),
  ADD COLUMN "values" jsonb;
-- The links of one central record (its `sources`), and "does this central record have a link of that source yet".
DROP INDEX IF EXISTS source_records_central;
CREATE INDEX source_records_central ON source_records (central_id, source);

-- The VAT number's 9-digit root: a branch suffix (12 digits) and the GB/XI prefix do not make another business.
-- GD/HA numbers (government departments, health authorities) are their own root.
CREATE FUNCTION vat_root(vat_number text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN CASE WHEN vat_number ~ '^(GB|XI)[0-9]{9}' THEN substr(vat_number, 3, 9) ELSE substr(vat_number, 3) END;
GRANT EXECUTE ON FUNCTION vat_root(text) TO brightclient_tenant;

ALTER TABLE clients ADD COLUMN vat_root text GENERATED ALWAYS AS (vat_root(vat_number)) STORED;
-- (practice_id, company_number) is indexed since 0002 (text_pattern_ops serves equality too).
CREATE INDEX clients_practice_utr ON clients (practice_id, utr) WHERE utr IS NOT NULL;
CREATE INDEX clients_practice_vat_root ON clients (practice_id, vat_root) WHERE vat_root IS NOT NULL;
-- Contacts match on the folded full name (0016's name_folded) plus one personal detail.
CREATE INDEX contacts_practice_person ON contacts (practice_id, name_folded);
-- Address histories join an equal entry of the same owner (same kind, first line, postcode and dates).
CREATE INDEX addresses_client_entry ON addresses (client_id, postcode) WHERE client_id IS NOT NULL;
CREATE INDEX addresses_contact_entry ON addresses (contact_id, postcode) WHERE contact_id IS NOT NULL;

-- Import counts: records that joined an existing central record of another source (part of imported).
ALTER TABLE import_counts ADD COLUMN matched integer NOT NULL DEFAULT 0;

-- A staged record's match, decided in its batch's commit transaction just before the commit statement (one
-- UPDATE … FROM per batch): the central record it joins, how, and the values it sent that differ from that
-- record's. A null match_id: it creates its own central record.
ALTER TABLE staged_clients ADD COLUMN match_id uuid, ADD COLUMN matched_by text, ADD COLUMN match_values jsonb;
ALTER TABLE staged_contacts ADD COLUMN match_id uuid, ADD COLUMN matched_by text, ADD COLUMN match_values jsonb;
ALTER TABLE staged_addresses ADD COLUMN match_id uuid, ADD COLUMN matched_by text, ADD COLUMN match_values jsonb;

-- Review items: pairs (or groups) of central records that may be one, for a practice user to merge or keep apart.
--   conflict        an identifier is shared but another present on both sides contradicts it
--   possible_match  the same folded name and the same postcode, email or phone, no shared identifier
--   same_source     one source's two refs look like one record (never joined automatically)
CREATE TABLE match_reviews (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  practice_id uuid NOT NULL REFERENCES practices ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('conflict', 'possible_match', 'same_source')),
  record_type text NOT NULL CHECK (record_type IN ('clients', 'contacts')),
  -- central ids, oldest first (time-ordered ids sort by age)
  records uuid[] NOT NULL CHECK (cardinality(records) >= 2),
  -- [{"field": "companyNumber", "values": ["01234567", "01234567"], "same": true}, …]
  evidence jsonb NOT NULL DEFAULT '[]',
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  resolution text CHECK (resolution IN ('merged', 'kept_apart', 'superseded')),
  import_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  decided_by text,
  decided_at timestamptz
);
-- One item per pair of records, open or closed: a retry, a re-send or a decision already taken never opens it again.
CREATE UNIQUE INDEX match_reviews_pair ON match_reviews (practice_id, record_type, records);
CREATE INDEX match_reviews_open ON match_reviews (practice_id, created_at) WHERE status = 'open';

-- A central record merged into another: its id answers 404 with `mergedInto` (SPEC §9).
CREATE TABLE merged_records (
  practice_id uuid NOT NULL REFERENCES practices ON DELETE CASCADE,
  record_type text NOT NULL CHECK (record_type IN ('clients', 'contacts')),
  id uuid NOT NULL,
  merged_into uuid NOT NULL,
  merged_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (practice_id, id)
);

-- Who merged, kept apart or split what, and when: shown on the record's page.
CREATE TABLE record_actions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices ON DELETE CASCADE,
  record_type text NOT NULL CHECK (record_type IN ('clients', 'contacts')),
  central_id uuid NOT NULL,
  action text NOT NULL CHECK (action IN ('merge', 'keep_apart', 'split')),
  detail jsonb NOT NULL DEFAULT '{}',
  actor text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX record_actions_record ON record_actions (practice_id, central_id, at);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['match_reviews', 'merged_records', 'record_actions'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY practice_only ON %I USING (practice_id = current_practice())', t);
    EXECUTE format('GRANT SELECT ON %I TO brightclient_tenant', t);
  END LOOP;
END $$;

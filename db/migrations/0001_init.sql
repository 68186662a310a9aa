-- BrightClient schema: tenants and their credentials, imports and their staged records, the central repository.
-- Every tenant row carries practice_id; every query of the application filters on it.

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE TABLE practices (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- A source token is `bc_<id>_<secret>`; only a SHA-256 of the secret is kept, compared in constant time.
CREATE TABLE source_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  practice_id uuid NOT NULL REFERENCES practices ON DELETE CASCADE,
  source text NOT NULL CHECK (source ~ '^[a-z][a-z0-9_-]{1,39}$'),
  secret_hash bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);

-- ---------------------------------------------------------------------------------------------------------------
-- Imports
-- ---------------------------------------------------------------------------------------------------------------
CREATE TABLE imports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  practice_id uuid NOT NULL REFERENCES practices ON DELETE CASCADE,
  source text NOT NULL,
  status text NOT NULL DEFAULT 'receiving' CHECK (status IN ('receiving', 'processing', 'completed')),
  -- finer than status: receiving, queued, checking, committing, finalising, completed
  phase text NOT NULL DEFAULT 'receiving',
  retry_of uuid REFERENCES imports ON DELETE SET NULL,
  -- for a retry: {"clients": [refs], "contacts": [...], "addresses": [...]}; records outside it are skipped
  requested jsonb,
  expected_batches integer,
  progress real NOT NULL DEFAULT 0,
  failed_total integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  processing_at timestamptz,
  completed_at timestamptz,
  -- refreshed by the worker that processes the import; a stale one means the worker died and the import is resumed
  heartbeat_at timestamptz
);
CREATE INDEX imports_practice_created ON imports (practice_id, created_at DESC);
CREATE INDEX imports_processing ON imports (heartbeat_at) WHERE status = 'processing';

-- One row per record type of an import; kept in the same transactions as the rows they count, so always exact.
CREATE TABLE import_counts (
  import_id uuid NOT NULL REFERENCES imports ON DELETE CASCADE,
  record_type text NOT NULL CHECK (record_type IN ('clients', 'contacts', 'addresses')),
  received integer NOT NULL DEFAULT 0,
  invalid integer NOT NULL DEFAULT 0,
  imported integer NOT NULL DEFAULT 0,
  failed integer NOT NULL DEFAULT 0,
  skipped integer NOT NULL DEFAULT 0,
  PRIMARY KEY (import_id, record_type)
);

CREATE TABLE batches (
  import_id uuid NOT NULL REFERENCES imports ON DELETE CASCADE,
  batch_no integer NOT NULL CHECK (batch_no >= 1),
  record_type text NOT NULL,
  -- SHA-256 of the decoded body: the same bytes again replay the receipt, other bytes are refused
  sha256 bytea NOT NULL,
  byte_size integer NOT NULL,
  record_count integer NOT NULL,
  receipt jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  -- set when the commit of this batch's records finished (processing resumes after the last one)
  committed_at timestamptz,
  PRIMARY KEY (import_id, batch_no)
);

-- Staged records: typed, validated and normalised at intake, so the commit is a plain INSERT … SELECT.
-- `valid` is the intake verdict; `outcome` is null until processing decides imported / failed / skipped.
-- `raw` keeps what the source sent, for invalid records only (the valid ones are their typed columns).
CREATE TABLE staged_clients (
  import_id uuid NOT NULL REFERENCES imports ON DELETE CASCADE,
  batch_no integer NOT NULL,
  pos integer NOT NULL,
  ref text,
  client_reference text,
  name text,
  client_type text,
  company_number text,
  vat_number text,
  utr text,
  email text,
  phone text,
  website text,
  record_name text,
  valid boolean NOT NULL,
  outcome text CHECK (outcome IN ('imported', 'failed', 'skipped')),
  raw jsonb,
  PRIMARY KEY (import_id, batch_no, pos)
);
CREATE INDEX staged_clients_ref ON staged_clients (import_id, ref);

CREATE TABLE staged_contacts (
  import_id uuid NOT NULL REFERENCES imports ON DELETE CASCADE,
  batch_no integer NOT NULL,
  pos integer NOT NULL,
  ref text,
  title text,
  first_name text,
  last_name text,
  email text,
  phone text,
  date_of_birth date,
  record_name text,
  first_client_ref text,
  valid boolean NOT NULL,
  outcome text CHECK (outcome IN ('imported', 'failed', 'skipped')),
  raw jsonb,
  PRIMARY KEY (import_id, batch_no, pos)
);
CREATE INDEX staged_contacts_ref ON staged_contacts (import_id, ref);

-- A contact's links to clients, one row per element of its `clients` array (idx = array position).
CREATE TABLE staged_contact_links (
  import_id uuid NOT NULL REFERENCES imports ON DELETE CASCADE,
  batch_no integer NOT NULL,
  pos integer NOT NULL,
  idx integer NOT NULL,
  client_ref text,
  role text,
  PRIMARY KEY (import_id, batch_no, pos, idx)
);
CREATE INDEX staged_contact_links_client ON staged_contact_links (import_id, client_ref);

CREATE TABLE staged_addresses (
  import_id uuid NOT NULL REFERENCES imports ON DELETE CASCADE,
  batch_no integer NOT NULL,
  pos integer NOT NULL,
  ref text,
  owner_type text,
  owner_ref text,
  kind text,
  line1 text,
  line2 text,
  town text,
  county text,
  postcode text,
  country text,
  valid_from date,
  valid_to date,
  record_name text,
  valid boolean NOT NULL,
  outcome text CHECK (outcome IN ('imported', 'failed', 'skipped')),
  raw jsonb,
  PRIMARY KEY (import_id, batch_no, pos)
);
CREATE INDEX staged_addresses_ref ON staged_addresses (import_id, ref);

-- One row per failing field of a record (the error file). Intake writes the field errors; processing adds
-- duplicate, link and cascade errors (ON CONFLICT DO NOTHING keeps re-runs idempotent); finalising fills
-- client_reference. Kept for as long as the import is listed, even after staged rows are purged.
CREATE TABLE record_errors (
  import_id uuid NOT NULL REFERENCES imports ON DELETE CASCADE,
  record_type text NOT NULL CHECK (record_type IN ('clients', 'contacts', 'addresses')),
  batch_no integer NOT NULL,
  pos integer NOT NULL,
  field text NOT NULL,
  code text NOT NULL,
  ref text,
  record_name text,
  client_reference text,
  reason text NOT NULL,
  PRIMARY KEY (import_id, record_type, batch_no, pos, field, code)
);

-- ---------------------------------------------------------------------------------------------------------------
-- The central repository
-- ---------------------------------------------------------------------------------------------------------------

-- The source identity of a central record, kept apart from it: the same client will arrive from several
-- products and be matched into one central record later. The primary key is the idempotency key of imports.
CREATE TABLE source_records (
  practice_id uuid NOT NULL REFERENCES practices ON DELETE CASCADE,
  source text NOT NULL,
  record_type text NOT NULL CHECK (record_type IN ('clients', 'contacts', 'addresses')),
  ref text NOT NULL,
  central_id uuid NOT NULL,
  import_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (practice_id, source, record_type, ref)
);

-- Lower-cased, accent-free text that client search matches with trigrams.
CREATE FUNCTION search_text(VARIADIC parts text[]) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN lower(public.unaccent('public.unaccent'::regdictionary, array_to_string(parts, ' ')));

CREATE TABLE clients (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices ON DELETE CASCADE,
  client_reference text NOT NULL,
  name text NOT NULL,
  client_type text NOT NULL,
  company_number text,
  vat_number text,
  utr text,
  email text,
  phone text,
  website text,
  created_at timestamptz NOT NULL DEFAULT now(),
  search text GENERATED ALWAYS AS (search_text(name, client_reference, coalesce(company_number, ''))) STORED
);
CREATE INDEX clients_practice_name ON clients (practice_id, name, id);
CREATE INDEX clients_search_trgm ON clients USING gin (search gin_trgm_ops);

CREATE TABLE contacts (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices ON DELETE CASCADE,
  title text,
  first_name text,
  last_name text NOT NULL,
  email text,
  phone text,
  date_of_birth date,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contacts_practice ON contacts (practice_id);

CREATE TABLE client_contacts (
  practice_id uuid NOT NULL REFERENCES practices ON DELETE CASCADE,
  client_id uuid NOT NULL REFERENCES clients ON DELETE CASCADE,
  contact_id uuid NOT NULL REFERENCES contacts ON DELETE CASCADE,
  role text NOT NULL,
  PRIMARY KEY (client_id, contact_id, role)
);
CREATE INDEX client_contacts_contact ON client_contacts (contact_id);

CREATE TABLE addresses (
  id uuid PRIMARY KEY,
  practice_id uuid NOT NULL REFERENCES practices ON DELETE CASCADE,
  client_id uuid REFERENCES clients ON DELETE CASCADE,
  contact_id uuid REFERENCES contacts ON DELETE CASCADE,
  kind text,
  line1 text NOT NULL,
  line2 text,
  town text NOT NULL,
  county text,
  postcode text NOT NULL,
  country text NOT NULL,
  valid_from date NOT NULL,
  valid_to date,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((client_id IS NULL) <> (contact_id IS NULL)),
  CHECK (valid_to IS NULL OR valid_from <= valid_to)
);
CREATE INDEX addresses_client ON addresses (client_id) WHERE client_id IS NOT NULL;
CREATE INDEX addresses_contact ON addresses (contact_id) WHERE contact_id IS NOT NULL;

-- ---------------------------------------------------------------------------------------------------------------
-- The error file's client_reference: a client's own, or that of the client a contact or address belongs to,
-- looked up first among the import's staged records (the kept copy of a ref), then in the central repository.
-- Called only for error rows (about 1 % of an import), once, when the import is finalised.
-- ---------------------------------------------------------------------------------------------------------------
CREATE FUNCTION client_reference_of(p_import uuid, p_practice uuid, p_source text, p_client_ref text)
  RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce(
    (SELECT s.client_reference FROM staged_clients s
      WHERE s.import_id = p_import AND s.ref = p_client_ref AND s.client_reference IS NOT NULL
      ORDER BY s.batch_no, s.pos LIMIT 1),
    (SELECT c.client_reference FROM source_records r JOIN clients c ON c.id = r.central_id
      WHERE r.practice_id = p_practice AND r.source = p_source AND r.record_type = 'clients' AND r.ref = p_client_ref))
$$;

-- A contact's first client's reference: from the import's staged contact, else from the central contact's links.
CREATE FUNCTION contact_client_reference_of(p_import uuid, p_practice uuid, p_source text, p_contact_ref text)
  RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce(
    (SELECT client_reference_of(p_import, p_practice, p_source, s.first_client_ref) FROM staged_contacts s
      WHERE s.import_id = p_import AND s.ref = p_contact_ref ORDER BY s.batch_no, s.pos LIMIT 1),
    (SELECT c.client_reference FROM source_records r
       JOIN client_contacts cc ON cc.contact_id = r.central_id
       JOIN clients c ON c.id = cc.client_id
      WHERE r.practice_id = p_practice AND r.source = p_source AND r.record_type = 'contacts' AND r.ref = p_contact_ref
      ORDER BY c.client_reference LIMIT 1))
$$;

-- Practice isolation in the database itself. Every read a practice's caller makes runs as the role
-- brightclient_tenant with the practice set for the transaction (src/db/tenant.ts); these policies then show only
-- that practice's rows, even to a query that forgot its practice filter. The role can only read: writes go
-- through the application's own checked paths. Without the setting the policies match nothing (fail closed).
-- Every new tenant table needs RLS and a policy too: test/integration/row-level-security.test.ts checks it.

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'brightclient_tenant') THEN
    CREATE ROLE brightclient_tenant NOLOGIN;
  END IF;
END $$;
GRANT brightclient_tenant TO CURRENT_USER;
GRANT USAGE ON SCHEMA public TO brightclient_tenant;

CREATE FUNCTION current_practice() RETURNS uuid LANGUAGE sql STABLE PARALLEL SAFE
  RETURN nullif(current_setting('brightclient.practice_id', true), '')::uuid;

-- Tables with a practice_id column.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['source_tokens', 'imports', 'source_records', 'clients', 'contacts', 'client_contacts', 'addresses'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY practice_only ON %I USING (practice_id = current_practice())', t);
    EXECUTE format('GRANT SELECT ON %I TO brightclient_tenant', t);
  END LOOP;
END $$;

ALTER TABLE practices ENABLE ROW LEVEL SECURITY;
CREATE POLICY practice_only ON practices USING (id = current_practice());
GRANT SELECT ON practices TO brightclient_tenant;

-- Tables that belong to an import: visible when their import is (imports is itself filtered above).
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['import_counts', 'batches', 'staged_clients', 'staged_contacts', 'staged_contact_links', 'staged_addresses',
                           'record_errors', 'import_log'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY practice_only ON %I USING (import_id IN (SELECT id FROM imports))', t);
    EXECUTE format('GRANT SELECT ON %I TO brightclient_tenant', t);
  END LOOP;
END $$;

GRANT EXECUTE ON FUNCTION search_text(VARIADIC text[]), current_practice() TO brightclient_tenant;

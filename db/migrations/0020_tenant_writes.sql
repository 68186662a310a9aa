-- Row-level security as the second wall for writes too (issue 11, item 15). The request path writes a practice's
-- rows as brightclient_tenant_writer (src/db/tenant.ts, withPracticeWrite): not a superuser, no BYPASSRLS, owning no
-- table, so the policies apply to it. It reads what brightclient_tenant reads and may insert, update and delete in
-- the tenant tables, but never in practices, source_tokens or users (the operator's, written by the owner) nor in
-- a table without row-level security (test/integration/row-level-security.test.ts checks both). The COPY,
-- processing and operator paths stay with the owner (docs/security.md).
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'brightclient_tenant_writer') THEN
    CREATE ROLE brightclient_tenant_writer NOLOGIN;
  END IF;
END $$;
GRANT brightclient_tenant TO brightclient_tenant_writer;
GRANT brightclient_tenant_writer TO CURRENT_USER;

-- Every policy gets a WITH CHECK equal to its USING: a row written must belong to the transaction's practice, so an
-- UPDATE without a practice filter changes only the practice's own rows and an INSERT with another practice's id is
-- refused. (A policy for all commands without one checks its USING anyway; this says so in the schema.)
DO $$
DECLARE p record;
BEGIN
  FOR p IN SELECT c.relname, pol.polname, pg_get_expr(pol.polqual, pol.polrelid) AS qual
             FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid
            WHERE c.relnamespace = 'public'::regnamespace AND pol.polwithcheck IS NULL AND pol.polqual IS NOT NULL LOOP
    EXECUTE format('ALTER POLICY %I ON %I WITH CHECK (%s)', p.polname, p.relname, p.qual);
  END LOOP;
END $$;

-- Writes on the tenant tables there are (a database migrated before this file has more of them than a new one) and,
-- through default privileges, on the tables later migrations create: those must come with row-level security.
DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT c.relname FROM pg_class c
            WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND c.relrowsecurity
              AND c.relname NOT IN ('practices', 'source_tokens', 'users') LOOP
    EXECUTE format('GRANT INSERT, UPDATE, DELETE ON %I TO brightclient_tenant_writer', t);
  END LOOP;
END $$;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO brightclient_tenant_writer;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT INSERT, UPDATE, DELETE ON TABLES TO brightclient_tenant_writer;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE ON SEQUENCES TO brightclient_tenant_writer;

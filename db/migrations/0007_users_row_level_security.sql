-- Row-level security for the tables of 0003_users.sql, as for every tenant table (0006, which creates the tenant
-- role and current_practice(), so it cannot live in 0003). The read-only tenant role may see a practice's users but
-- never their password hashes, and the dismissals of its own practice's imports.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY practice_only ON users USING (practice_id = current_practice());
GRANT SELECT (id, practice_id, email, created_at) ON users TO brightclient_tenant;

ALTER TABLE banner_dismissals ENABLE ROW LEVEL SECURITY;
CREATE POLICY practice_only ON banner_dismissals USING (import_id IN (SELECT id FROM imports));
GRANT SELECT ON banner_dismissals TO brightclient_tenant;

-- The matches decided for an import (src/pipeline/match.sql.ts) as rows of their own, instead of three columns
-- of the staged rows (0030): setting them rewrote each matched staged row — the whole raw record with it, and an
-- entry in each of the staging table's indexes — once more in the type's first batch. The commit joins these rows
-- (src/pipeline/commit.sql.ts); retention deletes them with the staged rows (src/intake/staging-catalogue.ts).
-- No foreign key to imports (the staged rows have one): matching inserts tens of thousands at once, each would
-- be checked, and no import is ever deleted; the purge removes them.
CREATE TABLE staged_matches (
  import_id uuid NOT NULL,
  record_type text NOT NULL,
  batch_no integer NOT NULL,
  pos integer NOT NULL,
  -- the central record it joins, how, and the values it sent that differ from that record's
  match_id uuid NOT NULL,
  matched_by text NOT NULL,
  match_values jsonb,
  PRIMARY KEY (import_id, record_type, batch_no, pos)
);
ALTER TABLE staged_matches ENABLE ROW LEVEL SECURITY;
CREATE POLICY practice_only ON staged_matches USING (import_id IN (SELECT id FROM imports));
GRANT SELECT ON staged_matches TO brightclient_tenant;

-- An import being processed keeps the matches decided before this migration.
INSERT INTO staged_matches (import_id, record_type, batch_no, pos, match_id, matched_by, match_values)
SELECT s.import_id, s.record_type, s.batch_no, s.pos, s.match_id, s.matched_by, s.match_values
  FROM (SELECT 'clients' AS record_type, import_id, batch_no, pos, match_id, matched_by, match_values FROM staged_clients
        UNION ALL
        SELECT 'contacts', import_id, batch_no, pos, match_id, matched_by, match_values FROM staged_contacts
        UNION ALL
        SELECT 'addresses', import_id, batch_no, pos, match_id, matched_by, match_values FROM staged_addresses) s
  JOIN imports i ON i.id = s.import_id AND i.status = 'processing'
 WHERE s.match_id IS NOT NULL;

ALTER TABLE staged_clients DROP COLUMN match_id, DROP COLUMN matched_by, DROP COLUMN match_values;
ALTER TABLE staged_contacts DROP COLUMN match_id, DROP COLUMN matched_by, DROP COLUMN match_values;
ALTER TABLE staged_addresses DROP COLUMN match_id, DROP COLUMN matched_by, DROP COLUMN match_values;

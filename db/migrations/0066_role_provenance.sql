-- Which source record gave a role (SPEC §9, §10): a contact of a second source that joins a central contact adds
-- that source's roles to it, and an undo of that import, or a split of that source record, must take exactly those
-- roles and leave the other sources' (src/pipeline/undo.sql.ts, src/repository/match-split.sql.ts). A role is kept
-- once per source record that gave it: `source` and `contact_ref` name the contact's source record (its import is
-- that record's), `client_ref` the client record of the same source it linked to. A role two sources gave is two
-- rows; it stays while either does. The table keeps its row-level security (0006) and its practice_id.
ALTER TABLE client_contacts
  ADD COLUMN source text,
  ADD COLUMN contact_ref text,
  ADD COLUMN client_ref text,
  DROP CONSTRAINT client_contacts_pkey;

-- Rows written before provenance was stored: a role is attributed to every pair of links of one source that backs
-- it (a link of the contact and a link of the client from the same source; links resolve within one source), the
-- rule split used until now. A role no pair backs was left behind by an undo of the source that gave it (what this
-- migration fixes) and is removed, as that undo should have done.
INSERT INTO client_contacts (practice_id, client_id, contact_id, role, source, contact_ref, client_ref)
SELECT DISTINCT cc.practice_id, cc.client_id, cc.contact_id, cc.role, o.source, o.ref, k.ref
  FROM client_contacts cc
  JOIN source_records o ON o.practice_id = cc.practice_id AND o.record_type = 'contacts' AND o.central_id = cc.contact_id
  JOIN source_records k ON k.practice_id = cc.practice_id AND k.record_type = 'clients' AND k.central_id = cc.client_id
                       AND k.source = o.source
 WHERE cc.source IS NULL;
DELETE FROM client_contacts WHERE source IS NULL;

ALTER TABLE client_contacts
  ALTER COLUMN source SET NOT NULL,
  ALTER COLUMN contact_ref SET NOT NULL,
  ALTER COLUMN client_ref SET NOT NULL,
  ADD PRIMARY KEY (client_id, contact_id, role, source, contact_ref, client_ref);

// The finalise phase: the error rows get the client reference a bookkeeper recognises, and the import completes.
// Parameters: $1 import id, $2 practice id, $3 source.
import type { Queryable } from '../db/pool.ts';
import { fillCausedBy } from './caused-by.sql.ts';

const fillClientReferences = `
  UPDATE record_errors e SET client_reference = CASE e.record_type
      WHEN 'clients' THEN client_reference_of($1, $2, $3, e.ref)
      WHEN 'contacts' THEN (SELECT client_reference_of($1, $2, $3, c.first_client_ref) FROM staged_contacts c
                             WHERE c.import_id = $1 AND c.batch_no = e.batch_no AND c.pos = e.pos)
      ELSE (SELECT CASE a.owner_type WHEN 'client' THEN client_reference_of($1, $2, $3, a.owner_ref)
                                     WHEN 'contact' THEN contact_client_reference_of($1, $2, $3, a.owner_ref) END
              FROM staged_addresses a WHERE a.import_id = $1 AND a.batch_no = e.batch_no AND a.pos = e.pos)
    END
   WHERE e.import_id = $1 AND e.client_reference IS NULL`;

/** Every staged record is accounted for by now; a type whose counts do not add up would be a bug, never shown. */
const unbalancedCounts = `
  SELECT record_type, received, imported, failed, skipped FROM import_counts
   WHERE import_id = $1 AND received <> imported + failed + skipped`;

/** For a retry: how many of the requested refs of each type were not in any batch. */
const notSent = `
  SELECT jsonb_object_agg(t.record_type, (
           SELECT count(*) FROM jsonb_array_elements_text(i.requested -> t.record_type) AS r(ref)
            WHERE NOT EXISTS (
              SELECT 1 FROM staged_clients s WHERE t.record_type = 'clients' AND s.import_id = i.id AND s.ref = r.ref
              UNION ALL SELECT 1 FROM staged_contacts s WHERE t.record_type = 'contacts' AND s.import_id = i.id AND s.ref = r.ref
              UNION ALL SELECT 1 FROM staged_addresses s WHERE t.record_type = 'addresses' AND s.import_id = i.id AND s.ref = r.ref)))
    FROM imports i, unnest(ARRAY['clients', 'contacts', 'addresses']) AS t(record_type)
   WHERE i.id = $1 AND i.requested IS NOT NULL`;

const complete = `
  UPDATE imports SET status = 'completed', phase = 'completed', progress = 1, completed_at = now(), heartbeat_at = NULL,
                     failed_total = (SELECT sum(failed) FROM import_counts WHERE import_id = $1),
                     not_sent = (${notSent})
   WHERE id = $1`;

export async function runFinalise(tx: Queryable, scope: { importId: string; practiceId: string; source: string }): Promise<void> {
  const { rows } = await tx.query(unbalancedCounts, [scope.importId]);
  if (rows.length > 0) throw new Error(`import ${scope.importId}: counts do not add up after commit: ${JSON.stringify(rows)}`);
  await tx.query(fillClientReferences, [scope.importId, scope.practiceId, scope.source]);
  await fillCausedBy(tx, scope.importId);
  await tx.query(complete, [scope.importId]);
}

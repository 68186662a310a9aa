// The finalise phase: the error rows get the client reference a bookkeeper recognises, and the import its totals.
// Parameters: $1 import id, $2 practice id, $3 source.
import { RECORD_TYPES } from '../contract/records.ts';
import type { Queryable } from '../db/pool.ts';
import { STAGING } from '../intake/staging-catalogue.ts';
import { fillCausedBy } from './caused-by.sql.ts';
import type { ImportScope } from '../domain/scope.ts';

const { contacts, addresses } = STAGING;

const fillClientReferences = `
  UPDATE record_errors e SET client_reference = CASE e.record_type
      WHEN 'clients' THEN client_reference_of($1, $2, $3, e.ref)
      WHEN 'contacts' THEN (SELECT client_reference_of($1, $2, $3, c.first_client_ref) FROM ${contacts.table} c
                             WHERE c.import_id = $1 AND c.batch_no = e.batch_no AND c.pos = e.pos)
      ELSE (SELECT CASE a.owner_type WHEN 'client' THEN client_reference_of($1, $2, $3, a.owner_ref)
                                     WHEN 'contact' THEN contact_client_reference_of($1, $2, $3, a.owner_ref) END
              FROM ${addresses.table} a WHERE a.import_id = $1 AND a.batch_no = e.batch_no AND a.pos = e.pos)
    END
   WHERE e.import_id = $1 AND e.client_reference IS NULL`;

/** Every staged record is accounted for by now; a type whose counts do not add up would be a bug, never shown. */
const unbalancedCounts = `
  SELECT record_type, received, imported, failed, skipped FROM import_counts
   WHERE import_id = $1 AND received <> imported + failed + skipped`;

/** For a retry: how many of the requested refs of each type were not in any batch. $2: the record types. */
const notSent = `
  SELECT jsonb_object_agg(t.record_type, (
           SELECT count(*) FROM jsonb_array_elements_text(i.requested -> t.record_type) AS r(ref)
            WHERE NOT EXISTS (
              ${RECORD_TYPES.map(
                (type) => `SELECT 1 FROM ${STAGING[type].table} s WHERE t.record_type = '${type}' AND s.import_id = i.id AND s.ref = r.ref`,
              ).join('\n              UNION ALL ')})))
    FROM imports i, unnest($2::text[]) AS t(record_type)
   WHERE i.id = $1 AND i.requested IS NOT NULL`;

/** The import's totals; its move to completed follows in the same transaction (process-import.ts). */
const recordTotals = `
  UPDATE imports SET failed_total = (SELECT sum(failed) FROM import_counts WHERE import_id = $1), not_sent = (${notSent})
   WHERE id = $1`;

export async function runFinalise(tx: Queryable, scope: ImportScope): Promise<void> {
  const { rows } = await tx.query(unbalancedCounts, [scope.importId]);
  if (rows.length > 0) throw new Error(`import ${scope.importId}: counts do not add up after commit: ${JSON.stringify(rows)}`);
  await tx.query(fillClientReferences, [scope.importId, scope.practiceId, scope.source]);
  await fillCausedBy(tx, scope.importId);
  await tx.query(recordTotals, [scope.importId, RECORD_TYPES]);
}

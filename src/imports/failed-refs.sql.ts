// Failed refs of an import: records that failed in it and have not been imported since by any import of the same
// practice and source (an anti-join on the idempotency key; a dry run's own would-be imports are marked on the row,
// migration 0041). Read from the error rows, which outlive the staged records. Records without a usable ref
// cannot be retried.
import type { Queryable } from '../db/pool.ts';
import type { SourceScope } from '../domain/scope.ts';
import { RECORD_TYPES, type RecordType } from '../contract/records.ts';

export async function failedRefs(db: Queryable, scope: SourceScope, importId: string): Promise<Record<RecordType, string[]>> {
  const { rows } = await db.query<{ record_type: RecordType; refs: string[] }>(
    `SELECT t.record_type, ARRAY(
        SELECT DISTINCT e.ref FROM record_errors e
         WHERE e.import_id = $1 AND e.record_type = t.record_type AND e.ref IS NOT NULL AND NOT e.dry_run_imported
           AND NOT EXISTS (SELECT 1 FROM source_records r
                            WHERE r.practice_id = $2 AND r.source = $3 AND r.record_type = e.record_type AND r.ref = e.ref)
         ORDER BY e.ref) AS refs
       FROM unnest($4::text[]) AS t(record_type)`,
    [importId, scope.practiceId, scope.source, RECORD_TYPES],
  );
  const result: Record<RecordType, string[]> = { clients: [], contacts: [], addresses: [] };
  for (const row of rows) result[row.record_type] = row.refs;
  return result;
}

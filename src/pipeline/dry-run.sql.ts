// A dry run's commit (SPEC §10): every batch is committed exactly as in a real import — matching, links, counts —
// inside one transaction, under a savepoint that is then rolled back, so the counts are the real commit's own and
// no central row, source key or filled field is left behind. What the commit decided is read before the rollback
// and written back after it: the counts per type (three rows) and the rare record skipped at commit because its
// key was taken meanwhile (its position). One transaction, not one per batch: a contact's roles and an address's
// owner are found through the keys the earlier batches claimed. A crash loses nothing that was kept, and the
// commit runs again from its first batch.
// Parameters: $1 import id.
import { RECORD_TYPES, type RecordType } from '../contract/records.ts';
import type { Queryable } from '../db/pool.ts';
import type { ImportScope } from '../domain/scope.ts';
import { STAGING } from '../intake/staging-catalogue.ts';
import { commitBatch, type PendingBatch } from './commit.sql.ts';
import { matchType } from './match.sql.ts';

interface TypeTally {
  record_type: RecordType;
  imported: number;
  matched: number;
  skipped: number;
}

const tallies = `SELECT record_type, imported, matched, skipped FROM import_counts WHERE import_id = $1`;

const restoreTallies = `
  UPDATE import_counts c SET imported = t.imported, matched = t.matched, skipped = t.skipped
    FROM jsonb_to_recordset($2::jsonb) AS t(record_type text, imported int, matched int, skipped int)
   WHERE c.import_id = $1 AND c.record_type = t.record_type`;

/** The positions of a type's skipped records, as two arrays (batch numbers, positions): compact at any size. */
const skippedOf = (type: RecordType) => `
  SELECT coalesce(array_agg(batch_no), '{}') AS batch_nos, coalesce(array_agg(pos), '{}') AS positions
    FROM ${STAGING[type].table} WHERE import_id = $1 AND outcome = 'skipped'`;

const restoreSkipped = (type: RecordType) => `
  UPDATE ${STAGING[type].table} s SET outcome = 'skipped'
    FROM unnest($2::int[], $3::int[]) AS k(batch_no, pos)
   WHERE s.import_id = $1 AND s.batch_no = k.batch_no AND s.pos = k.pos AND s.outcome IS NULL`;

const markCommitted = `UPDATE batches SET committed_at = now() WHERE import_id = $1 AND committed_at IS NULL`;

/**
 * An error row whose ref the dry run would have imported (a later duplicate of a kept copy that passed) is not
 * still failing, as in the real import, where the claimed key says so (migration 0041).
 */
const markImportedRefs = (type: RecordType) => `
  UPDATE record_errors e SET dry_run_imported = true
   WHERE e.import_id = $1 AND e.record_type = '${type}' AND e.ref IS NOT NULL
     AND EXISTS (SELECT 1 FROM ${STAGING[type].table} s WHERE s.import_id = $1 AND s.ref = e.ref AND s.outcome IS NULL)`;

/** Commits the pending batches (in commit order) and takes it all back but the outcomes; in the caller's transaction. */
export async function commitDryRun(tx: Queryable, pending: readonly PendingBatch[], scope: ImportScope, matching: boolean): Promise<void> {
  const params = [scope.importId];
  const before = new Map((await tx.query<TypeTally>(tallies, params)).rows.map((t) => [t.record_type, t.skipped]));
  await tx.query('SAVEPOINT dry_run');
  for (const [i, batch] of pending.entries()) {
    // The matches of a type are decided before its first batch, as in a real import (process-import.ts).
    if (matching && batch.record_type !== pending[i - 1]?.record_type) await matchType(tx, batch.record_type, scope);
    await commitBatch(tx, batch, scope, matching);
  }
  const after = (await tx.query<TypeTally>(tallies, params)).rows;
  // Records skipped at commit (not at the check): only when a type's skipped count grew, and rarely then.
  const skippedAtCommit: { type: RecordType; batchNos: number[]; positions: number[] }[] = [];
  for (const { record_type: type, skipped } of after) {
    if (skipped === before.get(type)) continue;
    const { rows } = await tx.query<{ batch_nos: number[]; positions: number[] }>(skippedOf(type), params);
    skippedAtCommit.push({ type, batchNos: rows[0]!.batch_nos, positions: rows[0]!.positions });
  }
  await tx.query('ROLLBACK TO SAVEPOINT dry_run');
  await tx.query(restoreTallies, [scope.importId, JSON.stringify(after)]);
  for (const { type, batchNos, positions } of skippedAtCommit) await tx.query(restoreSkipped(type), [scope.importId, batchNos, positions]);
  await tx.query(markCommitted, params);
  for (const type of RECORD_TYPES) await tx.query(markImportedRefs(type), params);
}

// Deleting one import's staged records, table by table from the staging catalogue, and marking it purged:
// retention does it once an import is old enough, cancelling at once.
import type { Queryable } from '../db/pool.ts';
import { STAGED_TABLES } from './staging-catalogue.ts';

export async function purgeStagedRecords(db: Queryable, importId: string): Promise<void> {
  for (const table of STAGED_TABLES) {
    await db.query(`DELETE FROM ${table} WHERE import_id = $1`, [importId]);
  }
  // The bytes of batches never staged (a cancelled or expired import's last ones).
  await db.query('UPDATE batches SET body = NULL WHERE import_id = $1 AND body IS NOT NULL', [importId]);
  await db.query('UPDATE imports SET staged_purged_at = now() WHERE id = $1', [importId]);
}

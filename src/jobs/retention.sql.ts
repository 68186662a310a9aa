// Retention: one import's staged records at a time, each import in its own transaction.
import type { Queryable } from '../db/pool.ts';
import { STAGED_TABLES } from '../intake/staging-catalogue.ts';

export async function purgeableImports(db: Queryable, olderThanDays: number, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM imports
      WHERE status IN ('completed', 'undone') AND staged_purged_at IS NULL AND completed_at < now() - make_interval(days => $1)
      ORDER BY completed_at LIMIT $2`,
    [olderThanDays, limit],
  );
  return rows.map((r) => r.id);
}

export async function purgeStagedRecords(db: Queryable, importId: string): Promise<void> {
  for (const table of STAGED_TABLES) {
    await db.query(`DELETE FROM ${table} WHERE import_id = $1`, [importId]);
  }
  await db.query('UPDATE imports SET staged_purged_at = now() WHERE id = $1', [importId]);
}

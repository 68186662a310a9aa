// Retention: which completed imports' staged records are due for deletion.
import type { Queryable } from '../db/pool.ts';

export async function purgeableImports(db: Queryable, olderThanDays: number, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT id FROM imports
      WHERE status IN ('completed', 'undone') AND staged_purged_at IS NULL AND completed_at < now() - make_interval(days => $1)
      ORDER BY completed_at LIMIT $2`,
    [olderThanDays, limit],
  );
  return rows.map((r) => r.id);
}

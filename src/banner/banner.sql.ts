// Per-user dismissals of the failure banner.
import type { Queryable } from '../db/pool.ts';
import type { UserScope } from '../domain/scope.ts';

export async function selectDismissed(db: Queryable, userId: string, importIds: string[]): Promise<Set<string>> {
  const { rows } = await db.query<{ import_id: string }>(
    'SELECT import_id FROM banner_dismissals WHERE user_id = $1 AND import_id = ANY($2::uuid[])',
    [userId, importIds],
  );
  return new Set(rows.map((r) => r.import_id));
}

/** Dismisses an import of the user's own practice; false when there is no such import. Idempotent. */
export async function insertDismissal(db: Queryable, user: UserScope, importId: string): Promise<boolean> {
  const { rows } = await db.query(
    `WITH target AS (SELECT id FROM imports WHERE id = $2 AND practice_id = $3),
          added AS (INSERT INTO banner_dismissals (user_id, import_id) SELECT $1, id FROM target ON CONFLICT DO NOTHING)
     SELECT 1 FROM target`,
    [user.userId, importId, user.practiceId],
  );
  return rows.length === 1;
}

/**
 * Records still failing across these imports, each counted once: a ref that failed in an import and again in its
 * retry is one record still to fix, not two. Records without a ref are told apart by their place in their import.
 */
export async function countStillFailing(db: Queryable, importIds: string[]): Promise<number> {
  const { rows } = await db.query<{ records: number }>(
    `SELECT count(DISTINCT (i.source, e.record_type, coalesce(e.ref, e.import_id || '/' || e.batch_no || '/' || e.pos)))::int AS records
       FROM imports i JOIN record_errors e ON e.import_id = i.id
      WHERE i.id = ANY($1::uuid[])
        AND NOT EXISTS (SELECT 1 FROM source_records r
                         WHERE r.practice_id = i.practice_id AND r.source = i.source AND r.record_type = e.record_type AND r.ref = e.ref)`,
    [importIds],
  );
  return rows[0]?.records ?? 0;
}

// Activation's reads (SPEC §10): for each source of a practice, what its activation stands on — its latest
// activation import and its latest import that completed and wrote data — in one statement over all sources.
import type { Queryable } from '../db/pool.ts';
import type { ImportStatus } from '../domain/import-lifecycle.ts';

export interface ActivationSourceRow {
  source: string;
  /** Whether the source has a source token that is not revoked: only such a source is opened an import. */
  connected: boolean;
  /** Its latest activation import, whatever its status. */
  activation_id: string | null;
  activation_status: ImportStatus | null;
  /** Its latest import of any kind that completed and wrote data: a dry run wrote nothing, an undone one no longer counts. */
  completed_id: string | null;
}

/**
 * The practice's sources: those with a live source token, and those with an activation import (a token revoked
 * since still shows what its activation did). By name.
 */
export async function selectActivationSources(db: Queryable, practiceId: string): Promise<ActivationSourceRow[]> {
  const { rows } = await db.query<ActivationSourceRow>(
    `WITH sources AS (
       SELECT source, bool_or(connected) AS connected
         FROM (SELECT source, true AS connected FROM source_tokens WHERE practice_id = $1 AND revoked_at IS NULL
               UNION ALL
               SELECT source, false FROM imports WHERE practice_id = $1 AND kind = 'activation') s
        GROUP BY source)
     SELECT s.source, s.connected, a.id AS activation_id, a.status AS activation_status, c.id AS completed_id
       FROM sources s
       LEFT JOIN LATERAL (SELECT i.id, i.status FROM imports i
                           WHERE i.practice_id = $1 AND i.source = s.source AND i.kind = 'activation'
                           ORDER BY i.created_at DESC, i.id DESC LIMIT 1) a ON true
       LEFT JOIN LATERAL (SELECT i.id FROM imports i
                           WHERE i.practice_id = $1 AND i.source = s.source AND i.status = 'completed' AND NOT i.dry_run
                           ORDER BY i.completed_at DESC, i.id DESC LIMIT 1) c ON true
      ORDER BY s.source`,
    [practiceId],
  );
  return rows;
}

/** The practice's first activation import: when BrightClient was activated, and by which user (null: none). */
export async function selectFirstActivation(
  db: Queryable,
  practiceId: string,
): Promise<{ created_at: Date; started_by_email: string | null } | null> {
  const { rows } = await db.query<{ created_at: Date; started_by_email: string | null }>(
    `SELECT i.created_at, (SELECT u.email FROM users u WHERE u.id = i.started_by_user) AS started_by_email
       FROM imports i WHERE i.practice_id = $1 AND i.kind = 'activation'
      ORDER BY i.created_at, i.id LIMIT 1`,
    [practiceId],
  );
  return rows[0] ?? null;
}

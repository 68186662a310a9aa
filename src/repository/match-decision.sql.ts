// The bookkeeping of review decisions (match-decision.service.ts): locking what a decision changes, closing an item,
// and the record_actions rows that show who merged, kept apart or split what, and when (SPEC §9).
import type { ReviewRecordType } from '../contract/matches.contract.ts';
import type { Queryable } from '../db/pool.ts';

export interface LockedMatch {
  id: string;
  record_type: ReviewRecordType;
  status: 'open' | 'closed';
  resolution: 'merged' | 'kept_apart' | 'superseded' | null;
  records: string[];
}

/** The item, locked until the transaction ends: two decisions of one item take turns. */
export async function lockMatch(tx: Queryable, practiceId: string, id: string): Promise<LockedMatch | null> {
  const { rows } = await tx.query<LockedMatch>(
    'SELECT id, record_type, status, resolution, records FROM match_reviews WHERE practice_id = $1 AND id = $2 FOR UPDATE',
    [practiceId, id],
  );
  return rows[0] ?? null;
}

/** Those of `ids` that exist, locked, oldest first (the survivor of a merge first). */
export async function lockRecords(tx: Queryable, type: ReviewRecordType, practiceId: string, ids: string[]): Promise<string[]> {
  const { rows } = await tx.query<{ id: string }>(
    `SELECT id FROM ${type} WHERE practice_id = $1 AND id = ANY ($2::uuid[]) ORDER BY created_at, id FOR UPDATE`,
    [practiceId, ids],
  );
  return rows.map((r) => r.id);
}

/** The record `id` is now: itself, or the record it was merged into. */
export async function currentRecord(tx: Queryable, practiceId: string, id: string): Promise<string> {
  const { rows } = await tx.query<{ id: string }>(
    'SELECT coalesce((SELECT merged_into FROM merged_records WHERE practice_id = $1 AND id = $2), $2) AS id',
    [practiceId, id],
  );
  return rows[0]!.id;
}

const actorEmail = (userParam: string) => `(SELECT u.email FROM users u WHERE u.id = ${userParam})`;

export async function closeMatch(
  tx: Queryable,
  practiceId: string,
  id: string,
  resolution: 'merged' | 'kept_apart',
  userId: string,
): Promise<void> {
  await tx.query(
    `UPDATE match_reviews SET status = 'closed', resolution = $3, decided_by = ${actorEmail('$4')}, decided_at = now()
      WHERE practice_id = $1 AND id = $2`,
    [practiceId, id, resolution, userId],
  );
}

export interface ActionRow {
  central: string;
  action: 'merge' | 'keep_apart' | 'split';
  detail: { match?: string; other: string; source?: string; ref?: string };
}

/** Records the decision on each record it changed, as the user `userId` now. */
export async function recordActions(
  tx: Queryable,
  type: ReviewRecordType,
  practiceId: string,
  userId: string,
  actions: ActionRow[],
): Promise<void> {
  await tx.query(
    `INSERT INTO record_actions (practice_id, record_type, central_id, action, detail, actor)
     SELECT $1, $2, x.central, x.action, x.detail, ${actorEmail('$3')}
       FROM jsonb_to_recordset($4::jsonb) AS x(central uuid, action text, detail jsonb)`,
    [practiceId, type, userId, JSON.stringify(actions)],
  );
}

/** The central record a source record is linked to, locked (a split of it waits for another). */
export async function lockLink(
  tx: Queryable,
  type: ReviewRecordType,
  practiceId: string,
  source: string,
  ref: string,
): Promise<string | null> {
  const { rows } = await tx.query<{ central_id: string }>(
    'SELECT central_id FROM source_records WHERE practice_id = $1 AND source = $2 AND record_type = $3 AND ref = $4 FOR UPDATE',
    [practiceId, source, type, ref],
  );
  return rows[0]?.central_id ?? null;
}

export async function countLinks(tx: Queryable, type: ReviewRecordType, practiceId: string, central: string): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM source_records WHERE practice_id = $1 AND record_type = $2 AND central_id = $3',
    [practiceId, type, central],
  );
  return rows[0]!.n;
}

/** Was (source, ref) split off `central` into `own` (where it is linked now)? Then a repeat of that split answers the same. */
export async function splitBefore(
  tx: Queryable,
  type: ReviewRecordType,
  practiceId: string,
  split: { central: string; source: string; ref: string; own: string },
): Promise<boolean> {
  const { rows } = await tx.query(
    `SELECT 1 FROM record_actions
      WHERE practice_id = $1 AND record_type = $2 AND central_id = $3 AND action = 'split'
        AND detail->>'source' = $4 AND detail->>'ref' = $5 AND detail->>'other' = $6::text`,
    [practiceId, type, split.central, split.source, split.ref, split.own],
  );
  return rows.length > 0;
}

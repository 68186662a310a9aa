import type { Queryable } from '../db/pool.ts';

export interface PracticeRow {
  id: string;
  name: string;
}

export async function insertPractice(db: Queryable, name: string): Promise<PracticeRow> {
  const { rows } = await db.query<PracticeRow>('INSERT INTO practices (name) VALUES ($1) RETURNING id, name', [name]);
  return rows[0]!;
}

export async function practiceExists(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM practices WHERE id = $1', [id]);
  return rowCount === 1;
}

export async function insertSourceToken(
  db: Queryable,
  token: { id: string; practiceId: string; source: string; secretHash: Buffer },
): Promise<void> {
  await db.query('INSERT INTO source_tokens (id, practice_id, source, secret_hash) VALUES ($1, $2, $3, $4)', [
    token.id,
    token.practiceId,
    token.source,
    token.secretHash,
  ]);
}

export interface SourceTokenRow {
  practice_id: string;
  source: string;
  secret_hash: Buffer;
}

export async function findSourceToken(db: Queryable, id: string): Promise<SourceTokenRow | null> {
  const { rows } = await db.query<SourceTokenRow>(
    'SELECT practice_id, source, secret_hash FROM source_tokens WHERE id = $1 AND revoked_at IS NULL',
    [id],
  );
  return rows[0] ?? null;
}

export async function countPractices(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM practices');
  return rows[0]!.n;
}

export interface PracticeSummaryRow {
  id: string;
  name: string;
  created_at: Date;
  users: number;
  /** Sources with a token not revoked, sorted. */
  sources: string[];
}

/** Every practice, oldest first, with its user count and the sources holding a live token. */
export async function selectPracticeSummaries(db: Queryable): Promise<PracticeSummaryRow[]> {
  const { rows } = await db.query<PracticeSummaryRow>(
    `SELECT p.id, p.name, p.created_at,
            coalesce(u.n, 0)::int AS users,
            coalesce(t.sources, '{}') AS sources
       FROM practices p
       LEFT JOIN (SELECT practice_id, count(*) AS n FROM users GROUP BY practice_id) u ON u.practice_id = p.id
       LEFT JOIN (SELECT practice_id, array_agg(DISTINCT source ORDER BY source) AS sources
                    FROM source_tokens WHERE revoked_at IS NULL GROUP BY practice_id) t ON t.practice_id = p.id
      ORDER BY p.created_at, p.id`,
  );
  return rows;
}

export interface TokenListRow {
  id: string;
  source: string;
  created_at: Date;
  revoked_at: Date | null;
}

export async function selectSourceTokens(db: Queryable, practiceId: string): Promise<TokenListRow[]> {
  const { rows } = await db.query<TokenListRow>(
    'SELECT id, source, created_at, revoked_at FROM source_tokens WHERE practice_id = $1 ORDER BY created_at, id',
    [practiceId],
  );
  return rows;
}

/** Revokes a token (a second revocation keeps the first time); null when there is no such token. */
export async function revokeSourceToken(db: Queryable, id: string): Promise<(TokenListRow & { practice_id: string }) | null> {
  const { rows } = await db.query<TokenListRow & { practice_id: string }>(
    `UPDATE source_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1
     RETURNING id, practice_id, source, created_at, revoked_at`,
    [id],
  );
  return rows[0] ?? null;
}

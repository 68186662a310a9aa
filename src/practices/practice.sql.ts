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

// Operating the tenants: practices and their source tokens. Used by the admin API and the CLI alike.
import type { Queryable } from '../db/pool.ts';
import { fail, success, type Outcome } from '../domain/outcome.ts';
import { findSourceToken, insertPractice, insertSourceToken, practiceExists, type PracticeRow } from './practice.sql.ts';
import { newSourceToken, parseSourceToken, secretMatches } from './tokens.ts';

export const SOURCE_PATTERN = '^[a-z][a-z0-9_-]{1,39}$';

export async function createPractice(db: Queryable, name: string): Promise<PracticeRow> {
  return insertPractice(db, name.trim());
}

/** Issues a source token; the plain token is returned once and never stored. */
export async function createSourceToken(db: Queryable, practiceId: string, source: string): Promise<Outcome<{ token: string }>> {
  if (!(await practiceExists(db, practiceId))) return fail('not_found', `There is no practice ${practiceId}.`);
  const { id, token, secretHash } = newSourceToken();
  await insertSourceToken(db, { id, practiceId, source, secretHash });
  return success({ token });
}

export interface SourcePrincipal {
  practiceId: string;
  source: string;
}

export async function authenticateSource(db: Queryable, token: string): Promise<SourcePrincipal | null> {
  const parsed = parseSourceToken(token);
  if (!parsed) return null;
  const row = await findSourceToken(db, parsed.id);
  if (!row || !secretMatches(parsed.secret, row.secret_hash)) return null;
  return { practiceId: row.practice_id, source: row.source };
}

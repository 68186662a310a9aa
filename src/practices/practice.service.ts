// Operating the tenants: practices and their source tokens. Used by the admin API and the CLI alike.
import type { Queryable } from '../db/pool.ts';
import type { PracticeSummary, RevokedToken, TokenList, TokenSummary } from '../contract/admin.contract.ts';
import type { SourceScope } from '../domain/scope.ts';
import { fail, success, type Outcome } from '../domain/outcome.ts';
import {
  findSourceToken,
  insertPractice,
  insertSourceToken,
  practiceExists,
  revokeSourceToken,
  selectPracticeSummaries,
  selectSourceTokens,
  type PracticeRow,
  type TokenListRow,
} from './practice.sql.ts';
import { newSourceToken, parseSourceToken, secretMatches } from './tokens.ts';

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

export async function listPractices(db: Queryable): Promise<PracticeSummary[]> {
  return (await selectPracticeSummaries(db)).map((p) => ({
    id: p.id,
    name: p.name,
    createdAt: p.created_at.toISOString(),
    users: p.users,
    sources: p.sources,
  }));
}

const tokenSummary = (t: TokenListRow): TokenSummary => ({
  id: t.id,
  source: t.source,
  createdAt: t.created_at.toISOString(),
  revokedAt: t.revoked_at?.toISOString() ?? null,
});

export async function listSourceTokens(db: Queryable, practiceId: string): Promise<Outcome<TokenList>> {
  if (!(await practiceExists(db, practiceId))) return fail('not_found', `There is no practice ${practiceId}.`);
  return success({ tokens: (await selectSourceTokens(db, practiceId)).map(tokenSummary) });
}

/** Revokes by token id or by the whole token; from then on it answers 401 "… has been revoked". */
export async function revokeToken(db: Queryable, idOrToken: string): Promise<Outcome<RevokedToken>> {
  const id = parseSourceToken(idOrToken)?.id ?? idOrToken;
  const revoked = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id) ? await revokeSourceToken(db, id) : null;
  if (!revoked) return fail('not_found', `There is no source token ${idOrToken.startsWith('bcs_') ? 'like the one given' : idOrToken}.`);
  return success({ ...tokenSummary(revoked), practiceId: revoked.practice_id });
}

/**
 * A pre-tenant lookup, as the owner: the practice is what the token tells, so it cannot be set before. One row by
 * the token's id, compared with its secret; everything the request does after it runs for the practice found.
 */
export async function authenticateSource(db: Queryable, token: string): Promise<SourceScope | null> {
  const parsed = parseSourceToken(token);
  if (!parsed) return null;
  const row = await findSourceToken(db, parsed.id);
  if (!row || !secretMatches(parsed.secret, row.secret_hash)) return null;
  return { practiceId: row.practice_id, source: row.source };
}

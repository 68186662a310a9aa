// The review queue (SPEC §9): the practice's review items, a page at a time. The decisions (merge, keep-apart,
// split) are in match-decision.service.ts. Paging is by keyset on (created_at, id), like the client list.
import type { MatchItem, MatchPage } from '../contract/matches.contract.ts';
import type { Queryable } from '../db/pool.ts';
import { fail, success, type Outcome } from '../domain/outcome.ts';
import { selectMatches, type MatchRow } from './matches.sql.ts';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** created_at as PostgreSQL writes a timestamptz (matches.sql.ts `created_key`). */
const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;

export function matchItem(row: MatchRow): MatchItem {
  return {
    id: row.id,
    kind: row.kind,
    recordType: row.record_type,
    status: row.status,
    records: row.records,
    evidence: row.evidence,
    candidates: row.candidates,
    createdAt: row.created_at.toISOString(),
    closedAt: row.decided_at?.toISOString() ?? null,
    closedBy: row.decided_by === null ? null : { kind: 'user', email: row.decided_by },
    resolution: row.resolution,
  };
}

type Cursor = { s: MatchItem['status']; c: string; i: string };

/** The cursor's keyset, or null when it is not one made for this same status. */
function decodeCursor(text: string, status: MatchItem['status']): Cursor | null {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const c = value as Record<string, unknown>;
  if (c['s'] !== status || typeof c['c'] !== 'string' || !TIMESTAMP_RE.test(c['c']) || typeof c['i'] !== 'string') return null;
  return UUID_RE.test(c['i']) ? { s: status, c: c['c'], i: c['i'] } : null;
}

export async function listMatches(
  db: Queryable,
  practiceId: string,
  query: { status: MatchItem['status']; limit: number; cursor: string | null },
): Promise<Outcome<MatchPage>> {
  const cursor = query.cursor === null ? null : decodeCursor(query.cursor, query.status);
  if (query.cursor !== null && cursor === null) {
    return fail('invalid', 'The cursor is not valid for this status; start again from the first page (without a cursor).');
  }
  const rows = await selectMatches(db, practiceId, query.status, cursor && { createdAt: cursor.c, id: cursor.i }, query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const nextCursor =
    rows.length > query.limit && last
      ? Buffer.from(JSON.stringify({ s: query.status, c: last.created_key, i: last.id } satisfies Cursor)).toString('base64url')
      : null;
  return success({ matches: page.map(matchItem), nextCursor });
}

// Every statement the request path runs on behalf of a practice runs in a practice transaction: as a role that is
// not a superuser, owns no table and has no BYPASSRLS, with the practice set for the transaction. PostgreSQL's
// row-level security (migrations 0006, 0020) then hides every other practice's rows from reads and refuses writes of
// them (USING and WITH CHECK practice_id = current_practice()), so a statement that forgets its practice filter
// still touches only its own practice. The role and the setting end with the transaction, so the pooled connection
// goes back as it came. What runs as the owner instead (the connecting role): see docs/security.md.
import { withTransaction, type Db, type Queryable, type Tx } from './pool.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads only (a READ ONLY transaction, a role with SELECT only); writes: the writer role (INSERT, UPDATE, DELETE). */
export const TENANT_ROLES = { read: 'brightclient_tenant', write: 'brightclient_tenant_writer' } as const;

/** One round trip: the id is checked to be a uuid, so it can be written into the statement. */
function beginFor(practiceId: string, mode: keyof typeof TENANT_ROLES): string {
  if (!UUID.test(practiceId)) throw new Error(`not a practice id: ${practiceId}`);
  const begin = mode === 'read' ? 'BEGIN READ ONLY' : 'BEGIN';
  return `${begin}; SET LOCAL ROLE ${TENANT_ROLES[mode]}; SELECT set_config('brightclient.practice_id', '${practiceId}', true)`;
}

/** A practice's reads, in one read-only transaction. */
export async function withPractice<T>(db: Db, practiceId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  return withTransaction(db, work, beginFor(practiceId, 'read'));
}

/** A practice's writes (and the reads they depend on), in one transaction. */
export async function withPracticeWrite<T>(db: Db, practiceId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  return withTransaction(db, work, beginFor(practiceId, 'write'));
}

/**
 * Inside a practice write: one step as the owner, then back to the writer role. Only for what the writer role cannot
 * do by design — COPY FROM into a table whose row security applies to the role is refused by PostgreSQL (SPEC §8), and
 * pg-boss's queue is not a tenant table. Each caller says why in a comment.
 */
export async function asOwner<T>(tx: Tx, work: () => Promise<T>): Promise<T> {
  await tx.query('SET LOCAL ROLE NONE');
  const result = await work();
  await tx.query(`SET LOCAL ROLE ${TENANT_ROLES.write}`);
  return result;
}

/** A Queryable whose every query is its own practice transaction: for streams and pollers that query over time. */
export function practiceReader(db: Db, practiceId: string): Queryable {
  return {
    query: ((text: string, values?: unknown[]) => withPractice(db, practiceId, (tx) => tx.query(text, values))) as Queryable['query'],
  };
}

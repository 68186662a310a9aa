// Reads on behalf of a practice run as the read-only role brightclient_tenant with the practice set for the
// transaction: PostgreSQL's row-level security (migration 0006) then hides every other practice's rows, so a
// query that forgets its practice filter still sees only its own practice. The role and the setting end with the
// transaction, so the pooled connection goes back as it came.
import { withTransaction, type Db, type Queryable, type Tx } from './pool.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One round trip: the id is checked to be a uuid, so it can be written into the statement. */
function beginFor(practiceId: string): string {
  if (!UUID.test(practiceId)) throw new Error(`not a practice id: ${practiceId}`);
  return `BEGIN READ ONLY; SET LOCAL ROLE brightclient_tenant; SELECT set_config('brightclient.practice_id', '${practiceId}', true)`;
}

export async function withPractice<T>(db: Db, practiceId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  return withTransaction(db, work, beginFor(practiceId));
}

/** A Queryable whose every query is its own practice transaction: for streams and pollers that query over time. */
export function practiceReader(db: Db, practiceId: string): Queryable {
  return {
    query: ((text: string, values?: unknown[]) => withPractice(db, practiceId, (tx) => tx.query(text, values))) as Queryable['query'],
  };
}

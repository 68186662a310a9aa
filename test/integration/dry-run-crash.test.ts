// A dry run that crashes at its worst moment — every batch committed inside its transaction, just before the
// rollback to the savepoint — keeps nothing (no central row, no key, no batch marked committed), and processing it
// again completes with the counts of an uninterrupted dry run.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ImportView } from '../../src/contract/imports.contract.ts';
import type { RecordType } from '../../src/contract/records.ts';
import { createPool } from '../../src/db/pool.ts';
import { processImport } from '../../src/pipeline/process-import.ts';
import { json } from '../helpers/json.ts';
import { sourceClient, createSources, startTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let practiceId: string;
const tokens: Record<string, string> = {};
before(async () => {
  // No workers: this test runs the processing itself.
  t = await startTestApp({ workers: 0 });
  const created = await createSources(t.db, 'Crashing Dry Run Practice');
  practiceId = created.practiceId;
  Object.assign(tokens, created.tokens);
});
after(async () => {
  await t?.close();
});

type Batch = { type: RecordType; records: object[] };
const client = (ref: string, extra: object = {}) => ({
  ref,
  clientReference: `R-${ref}`,
  name: `${ref} Ltd`,
  clientType: 'limited_company',
  ...extra,
});
const contact = (ref: string, clientRef: string) => ({
  ref,
  firstName: 'Sam',
  lastName: ref,
  clients: [{ ref: clientRef, role: 'director' }],
});

const options = () => ({ log: t.app.log, heartbeatSeconds: 5 });

/** Starts and completes an import; processing is left to the caller. */
async function sent(token: string, batches: Batch[], body: object = {}): Promise<string> {
  const c = sourceClient(t.app, token);
  const id = json<ImportView>(await c.startImport(body)).id;
  for (const [i, batch] of batches.entries()) assert.equal((await c.putBatch(id, i + 1, batch)).statusCode, 202);
  assert.equal((await c.complete(id, batches.length)).statusCode, 202);
  return id;
}
async function processed(id: string): Promise<string> {
  await processImport(t.db, id, options());
  return id;
}
const view = async (token: string, id: string) => json<ImportView>(await sourceClient(t.app, token).get(`/v1/imports/${id}`));

async function rowCounts(): Promise<number[]> {
  const { rows } = await t.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM clients WHERE practice_id = $1 UNION ALL SELECT count(*)::int FROM contacts WHERE practice_id = $1
     UNION ALL SELECT count(*)::int FROM source_records WHERE practice_id = $1 UNION ALL SELECT count(*)::int FROM match_reviews WHERE practice_id = $1`,
    [practiceId],
  );
  return rows.map((r) => r.n);
}

const books: Batch[] = [
  { type: 'clients', records: [client('B-1', { companyNumber: '01234567' }), client('B-2', { email: 'nope@' }), client('B-3')] },
  { type: 'clients', records: [client('B-4'), client('B-1')] },
  { type: 'contacts', records: [contact('BP-1', 'B-1'), contact('BP-2', 'B-2'), contact('BP-3', 'B-4')] },
];

test('a dry run killed just before its rollback keeps nothing, and run again completes as if uninterrupted', async () => {
  await processImport(
    t.db,
    await sent(tokens.brightmanager!, [{ type: 'clients', records: [client('M-1', { companyNumber: '01234567' })] }]),
    options(),
  );
  const reference = await view(tokens.brightbooks!, await processed(await sent(tokens.brightbooks!, books, { dryRun: true })));
  assert.deepEqual([reference.counts.clients.matched, reference.counts.clients.failed, reference.counts.contacts.failed], [1, 2, 1]);
  const before = await rowCounts();

  const id = await sent(tokens.brightbooks!, books, { dryRun: true });
  // A pool whose connections fail the rollback to the savepoint, as a process killed at that moment would.
  const crashing = createPool(t.database.url, 4);
  crashing.on('connect', (connection) => {
    const query = connection.query.bind(connection) as (...args: unknown[]) => Promise<unknown>;
    (connection as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = (...args: unknown[]) =>
      typeof args[0] === 'string' && args[0].startsWith('ROLLBACK TO SAVEPOINT') ? Promise.reject(new Error('killed')) : query(...args);
  });
  await assert.rejects(processImport(crashing, id, options()), /killed/);
  await crashing.end();

  assert.deepEqual(await rowCounts(), before, 'nothing of the crashed commit is kept');
  const crashed = await view(tokens.brightbooks!, id);
  assert.deepEqual([crashed.status, crashed.phase], ['processing', 'committing']);
  const { rows } = await t.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM batches WHERE import_id = $1 AND committed_at IS NOT NULL',
    [id],
  );
  assert.equal(rows[0]!.n, 0, 'no batch is marked committed');

  await processImport(t.db, id, options());
  const resumed = await view(tokens.brightbooks!, id);
  assert.equal(resumed.status, 'completed');
  assert.deepEqual(resumed.counts, reference.counts);
  assert.deepEqual(await rowCounts(), before);
});

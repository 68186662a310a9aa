// Scaling out: the API with no workers of its own plus two `brightclient worker` processes on one database,
// three imports at once. Exact counts, and each step of each import done exactly once (import_log).
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, test } from 'node:test';
import { createPool, type Db } from '../../src/db/pool.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { freePort, httpSource, kill, startServer, startWorker } from '../helpers/processes.ts';
import { generatePractice, toBatches } from '../../packages/sender/src/cli/generate/practice-data.ts';
import { createSource } from '../helpers/test-app.ts';

let database: TestDatabase;
let db: Db;
const children: ChildProcess[] = [];
before(async () => {
  database = await createTestDatabase();
  db = createPool(database.url, 4);
});
after(async () => {
  for (const child of children) await kill(child);
  await db?.end();
  await database?.drop();
});

test('API without workers + two worker processes: three concurrent imports, exact counts, every step once', async () => {
  const port = await freePort();
  children.push(await startServer(database.url, port, { BRIGHTCLIENT_WORKERS: '0' }));
  children.push(startWorker(database.url, { BRIGHTCLIENT_WORKERS: '1' }), startWorker(database.url, { BRIGHTCLIENT_WORKERS: '1' }));

  const practice = generatePractice({ clients: 1000 });
  const batches = toBatches(practice.records, 500); // 1,000 clients with their contacts and addresses (~7,000 records)
  const expected = practice.expected.counts;
  const per = (t: 'addresses' | 'clients' | 'contacts') => [expected[t].received, expected[t].imported, expected[t].failed, 0];
  const sources = await Promise.all(
    ['Alpha', 'Beta', 'Gamma'].map((name, i) => createSource(db, ['brightmanager', 'brightbooks', 'brightap'][i], name)),
  );
  const ids = await Promise.all(sources.map((s) => httpSource(port, s.token).send(batches)));

  const deadline = Date.now() + 60_000;
  for (;;) {
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM imports WHERE id = ANY($1) AND status = 'completed'`, [
      ids,
    ]);
    if (rows[0]!.n === ids.length) break;
    assert.ok(Date.now() < deadline, 'imports did not complete');
    await new Promise((r) => setTimeout(r, 100));
  }

  const counts = await db.query<{ record_type: string; per_import: number[][] }>(
    `SELECT record_type, array_agg(ARRAY[received, imported, failed, skipped]) AS per_import FROM import_counts WHERE import_id = ANY($1) GROUP BY record_type ORDER BY record_type`,
    [ids],
  );
  assert.deepEqual(
    counts.rows.map((r) => [r.record_type, r.per_import]),
    [
      ['addresses', Array(3).fill(per('addresses'))],
      ['clients', Array(3).fill(per('clients'))],
      ['contacts', Array(3).fill(per('contacts'))],
    ],
  );
  const steps = await db.query<{ times: number }>(
    `SELECT import_id, step, batch_no, count(*)::int AS times FROM import_log WHERE import_id = ANY($1) GROUP BY 1, 2, 3`,
    [ids],
  );
  assert.equal(steps.rows.length, ids.length * (1 + batches.length + 1), 'a check, a commit per batch and a finalise per import');
  assert.deepEqual([...new Set(steps.rows.map((r) => r.times))], [1], 'no step ran twice');
  const workers = await db.query(`SELECT DISTINCT worker FROM import_log WHERE import_id = ANY($1)`, [ids]);
  process.stdout.write(`# steps were run by ${workers.rows.length} worker process(es)\n`);
  const central = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM clients`);
  assert.equal(central.rows[0]!.n, 3 * expected.clients.imported);
});

// The connection that holds a processing import's practice lock is cut (a database restart, a failover, a proxy):
// the server stays up, and the import completes with the counts an uninterrupted run gives.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ImportView } from '../../src/contract/imports.contract.ts';
import { generatePractice, toBatches } from '../../packages/sender/src/cli/generate/practice-data.ts';
import { json } from '../helpers/json.ts';
import { createSource, sourceClient, startTestApp, waitForCompletion, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp({ workers: 1 });
});
after(async () => {
  await t?.close();
});

async function runImport(name: string, whileProcessing: (id: string) => Promise<void>): Promise<ImportView> {
  const { token } = await createSource(t.db, 'brightmanager', name);
  const c = sourceClient(t.app, token);
  const { id } = json<ImportView>(await c.startImport());
  const batches = toBatches(generatePractice({ clients: 2000 }).records, 1000);
  for (let n = 1; n <= batches.length; n++) assert.equal((await c.putBatch(id, n, batches[n - 1]!)).statusCode, 202);
  assert.equal((await c.complete(id, batches.length)).statusCode, 202);
  await whileProcessing(id);
  return waitForCompletion(t.app, token, id, 120_000);
}

/** The backend holding an advisory lock for the application's processing (not pg-boss's). */
async function lockHolder(): Promise<number | null> {
  const { rows } = await t.db.query<{ pid: number }>(
    `SELECT l.pid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND a.datname = current_database() AND a.application_name = 'brightclient-work'`,
  );
  return rows[0]?.pid ?? null;
}

test('pg_terminate_backend of the lock connection mid-processing: the server stays up, exact counts', async () => {
  const reference = await runImport('Uninterrupted Practice', async () => {});
  let terminated = 0;
  const dropped = await runImport('Dropped Practice', async (id) => {
    for (let i = 0; i < 2000 && terminated === 0; i++) {
      const pid = await lockHolder();
      const { rows } = await t.db.query<{ status: string }>('SELECT status FROM imports WHERE id = $1', [id]);
      if (rows[0]!.status === 'completed') break;
      if (pid !== null) {
        await t.db.query('SELECT pg_terminate_backend($1)', [pid]);
        terminated = pid;
      } else await new Promise((r) => setTimeout(r, 10));
    }
  });
  assert.ok(terminated > 0, 'the lock connection was cut while the import was processing');
  assert.equal(dropped.status, 'completed');
  assert.deepEqual(dropped.counts, reference.counts);
  // The server still answers, and processes the next import.
  const after = await runImport('Later Practice', async () => {});
  assert.deepEqual(after.counts, reference.counts);
});

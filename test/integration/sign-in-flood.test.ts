// A flood of sign-ins (each a slow, memory-hard password hash) must not stall another practice's uploads: gzip
// bodies inflate on the same libuv threads scrypt runs on.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { ImportView } from '../../src/contract/imports.contract.ts';
import { json } from '../helpers/json.ts';
import { createSource, sourceClient, startTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp({ sessions: true });
});
after(async () => {
  await t?.close();
});

test('a batch is acknowledged within a second while 40 sign-ins are in flight; sign-ins beyond the hashing queue get 503', async () => {
  const { token } = await createSource(t.db, 'brightbooks', 'Uploading Practice');
  const c = sourceClient(t.app, token);
  const { id } = json<ImportView>(await c.startImport());
  const body = gzipSync(
    JSON.stringify({ type: 'clients', records: [{ ref: 'C-1', clientReference: 'C1', name: 'One Ltd', clientType: 'limited_company' }] }),
  );
  // Warm the intake threads, so the figure below is the flood's effect and not a cold start.
  assert.equal((await c.putBatch(id, 1, body, { 'content-encoding': 'gzip' })).statusCode, 202);

  const signIns = Array.from({ length: 40 }, (_, i) =>
    t.app.inject({ method: 'POST', url: '/v1/session', payload: { email: `flood${i}@example.com`, password: 'a guessed password' } }),
  );
  await new Promise((r) => setTimeout(r, 200)); // the hashes are running
  const started = Date.now();
  const ack = await c.putBatch(id, 2, body, { 'content-encoding': 'gzip' });
  const ms = Date.now() - started;
  assert.equal(ack.statusCode, 202, ack.body);
  assert.ok(ms < 1000, `the batch was acknowledged after ${ms} ms with 40 sign-ins in flight`);

  const statuses = (await Promise.all(signIns)).map((r) => r.statusCode);
  assert.ok(
    statuses.every((s) => s === 401 || s === 503),
    `sign-ins answer 401 or 503: ${statuses.join(',')}`,
  );
  assert.ok(statuses.filter((s) => s === 503).length > 0, 'sign-ins beyond the queue are refused at once');
  assert.ok(statuses.filter((s) => s === 401).length > 0, 'queued sign-ins are still checked');
});
